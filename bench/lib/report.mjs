// The summary of docs/benchmarks.md (between the bench:summary markers) and docs/benchmarks.svg, rebuilt from every
// bench/results/<scenario>.json there is — so running one scenario refreshes its rows and keeps the others'.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { summarize } from '../scenarios/rest.mjs';
import { RESULTS_DIR, ROOT } from './common.mjs';

const ORDER = ['fanout', 'hot-channel', 'persist', 'idle', 'reconnect-storm', 'presence', 'rest'];
const DOC = join(ROOT, 'docs', 'benchmarks.md');
const SVG = join(ROOT, 'docs', 'benchmarks.svg');
const START = '<!-- bench:summary:start (written by bench/run.mjs from bench/results/*.json; edit the text around it, not inside) -->';
const END = '<!-- bench:summary:end -->';

export function loadResults() {
  return ORDER.map((name) => join(RESULTS_DIR, `${name}.json`))
    .filter((file) => existsSync(file))
    .map((file) => {
      const r = JSON.parse(readFileSync(file, 'utf8'));
      // rest.json as `npm run bench:rest` alone writes it: rest.mjs's own shape.
      if (!r.scenario && r.rest && r.baseline) return { scenario: 'rest', date: r.date, machine: r.machine, load_average_before: r.load_average_before, status: 'ok', ...summarize(r) };
      return r;
    });
}

const fmt = (v, unit) => {
  if (v === null || v === undefined) return '–';
  if (typeof v !== 'number') return String(v);
  const n = typeof v === 'number' ? (Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en-US') : String(v)) : String(v);
  return unit && unit !== '/s' ? `${n} ${unit}` : n;
};

function baselineName(r) {
  return r.baseline_kind ?? 'bare Socket.IO';
}

export function summaryMarkdown(results) {
  const lines = [START, '### Summary of the latest runs', ''];
  const first = results[0];
  if (first) {
    const m = first.machine;
    lines.push(`Machine: ${m.cpus} × ${m.cpu_model}, ${m.memory_gb} GB, Node ${m.node}, shared with the other engineers' builds and tests (the load`);
    lines.push('average each scenario started with is in its row). Each scenario ran the bare Socket.IO baseline pair, then Parley — the built services as');
    lines.push('processes (api-gateway, message-service ×2, presence-service, realtime-gateway ×2) — never both at once, driven by the same 4 load-generator');
    lines.push('processes on the same two cores; `persist` and `rest` compare with direct `pg` instead. Ratio = Parley / baseline (for times and memory lower');
    lines.push('is better, for rates higher). Settings and method: [`bench/README.md`](../bench/README.md); every figure of a run: `bench/results/<scenario>.json`.');
    lines.push('');
  }
  lines.push('| scenario | figure | Parley | baseline | ratio | run |');
  lines.push('|---|---|---:|---:|---:|---|');
  for (const r of results) {
    const run = `${r.date}, load ${r.load_average_before}`;
    const figures = r.figures ?? [];
    if (!figures.length) lines.push(`| \`${r.scenario}\` | ${r.status}: ${r.error ?? r.note ?? ''} | | | | ${run} |`);
    figures.forEach((f, i) => {
      const name = i === 0 ? `\`${r.scenario}\`` : '';
      const b = f.baseline === undefined ? '–' : fmt(f.baseline, f.unit);
      lines.push(`| ${name} | ${f.name}${i === 0 ? ` (baseline: ${baselineName(r)})` : ''} | ${fmt(f.parley, f.unit)} | ${b} | ${f.ratio === null || f.ratio === undefined ? '–' : `${f.ratio}×`} | ${i === 0 ? run : ''} |`);
    });
  }
  lines.push('');
  lines.push('Targets and checks:');
  lines.push('');
  lines.push('| scenario | targets | correctness (checked while measuring) |');
  lines.push('|---|---|---|');
  for (const r of results) {
    const targets = (r.targets ?? []).map((t) => `${t.what}: **${t.met ? 'met' : 'not met'}**`).join('; ') || '–';
    lines.push(`| \`${r.scenario}\` | ${targets} | ${correctnessText(r)} |`);
  }
  lines.push('');
  lines.push('![Parley and the baseline per scenario: each row scaled to the larger of the two values](benchmarks.svg)');
  lines.push(END);
  return lines.join('\n');
}

function correctnessText(r) {
  if (r.status === 'failed') return `run failed: ${r.error}`;
  if (r.status === 'blocked') return `blocked: ${r.note}`;
  const c = r.correctness ?? {};
  const side = (x) => {
    if (!x) return null;
    if ('pairs' in x) return `${x.complete}/${x.pairs} (client, channel) pairs complete, lost ${x.lost}, duplicated ${x.duplicated}, out of order ${x.out_of_order}`;
    if ('missed' in x) return `${x.missed} transitions missed, ${x.unexpected} unexpected events`;
    if ('connected' in x) return `${x.connected}/${x.expected} connected`;
    if ('indexes_unique' in x) return `indexes unique ${x.indexes_unique}${x.messages_count_equals_201s !== undefined ? `, messages_count = 201s ${x.messages_count_equals_201s}` : ''}${x.rows_match_counters !== undefined ? `, rows = counters ${x.rows_match_counters}` : ''}${x.list_pages_complete !== undefined ? `, list pages complete ${x.list_pages_complete}` : ''}`;
    return JSON.stringify(x);
  };
  const parts = [];
  if (c.parley) parts.push(`Parley: ${side(c.parley)}`);
  if (c.baseline) parts.push(`baseline: ${side(c.baseline)}`);
  return `${c.ok ? '**ok**' : '**FAILED**'} — ${parts.join('; ')}`;
}

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Hand-written SVG: a panel per scenario, two bars per figure (Parley, baseline), each row scaled to its larger value. */
export function chartSvg(results) {
  const W = 980;
  const labelW = 330;
  const barW = 470;
  const rowH = 34;
  const headH = 30;
  let y = 56;
  const parts = [];
  for (const r of results) {
    const figures = (r.figures ?? []).filter((f) => typeof f.parley === 'number' || typeof f.baseline === 'number');
    parts.push(`<text x="12" y="${y + 20}" class="h">${esc(r.scenario)} <tspan class="s">— baseline: ${esc(baselineName(r))}${r.status !== 'ok' ? `; ${esc(r.status)}` : ''}</tspan></text>`);
    y += headH;
    if (!figures.length) {
      parts.push(`<text x="24" y="${y + 14}" class="l">${esc(r.error ?? r.note ?? 'no figures')}</text>`);
      y += rowH;
    }
    for (const f of figures) {
      const max = Math.max(typeof f.parley === 'number' ? f.parley : 0, typeof f.baseline === 'number' ? f.baseline : 0) || 1;
      parts.push(`<text x="24" y="${y + 20}" class="l">${esc(f.name)}${f.unit && f.unit !== '/s' ? ` (${esc(f.unit)})` : ''}</text>`);
      [['parley', f.parley, 'p', 2], ['baseline', f.baseline, 'b', 17]].forEach(([, v, cls, dy]) => {
        const w = typeof v === 'number' ? Math.max(1, Math.round((v / max) * barW)) : 0;
        if (w) parts.push(`<rect x="${labelW}" y="${y + dy}" width="${w}" height="13" class="${cls}"/>`);
        parts.push(`<text x="${labelW + w + 6}" y="${y + dy + 11}" class="v">${esc(fmt(v, f.unit === '/s' ? '' : ''))}</text>`);
      });
      if (f.ratio !== null && f.ratio !== undefined) parts.push(`<text x="${W - 12}" y="${y + 20}" class="r" text-anchor="end">${esc(`${f.ratio}×`)}</text>`);
      y += rowH;
    }
    y += 8;
  }
  const H = y + 16;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif">
<style>
  .t { font-size: 17px; font-weight: bold; fill: #222; }
  .h { font-size: 15px; font-weight: bold; fill: #222; }
  .s { font-size: 12px; font-weight: normal; fill: #666; }
  .l { font-size: 12px; fill: #333; }
  .v { font-size: 11px; fill: #333; }
  .r { font-size: 12px; fill: #555; }
  .p { fill: #3b6fd1; }
  .b { fill: #b9b9b9; }
</style>
<rect width="100%" height="100%" fill="#fff"/>
<text x="12" y="24" class="t">Parley vs baseline: latency percentiles, throughput and memory per scenario</text>
<rect x="${labelW}" y="34" width="12" height="10" class="p"/><text x="${labelW + 16}" y="43" class="l">Parley</text>
<rect x="${labelW + 80}" y="34" width="12" height="10" class="b"/><text x="${labelW + 96}" y="43" class="l">baseline</text>
<text x="${W - 12}" y="43" class="r" text-anchor="end">ratio Parley / baseline</text>
${parts.join('\n')}
</svg>
`;
}

/** Rewrites the summary block of docs/benchmarks.md and docs/benchmarks.svg from the result files. */
export function writeDocs() {
  const results = loadResults();
  let doc = existsSync(DOC) ? readFileSync(DOC, 'utf8') : '# Benchmarks\n';
  const block = summaryMarkdown(results);
  const re = /<!-- bench:summary:start[\s\S]*?<!-- bench:summary:end -->/;
  if (re.test(doc)) doc = doc.replace(re, block);
  else {
    // Before the first section of the page.
    const at = doc.indexOf('\n## ');
    doc = at < 0 ? `${doc.trimEnd()}\n\n## Summary (\`npm run bench\`)\n\n${block}\n` : `${doc.slice(0, at)}\n\n## Summary (\`npm run bench\`)\n\n${block}\n${doc.slice(at)}`;
  }
  writeFileSync(DOC, doc);
  writeFileSync(SVG, chartSvg(results));
  return [DOC, SVG];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(writeDocs().join('\n'));
}
