// rest: bench/rest.mjs as a scenario — REST message creates (against direct `pg` inserts of the same rows, in the
// same transaction shape and in the product's one-statement form) and the REST channel list (against a direct
// SELECT of the same page), 50 concurrent keep-alive clients. It writes bench/results/rest.json and its own
// "Latest run" block of docs/benchmarks.md; the figures are read back from rest.json.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, progress, ratio } from '../lib/common.mjs';

export const title = 'rest: REST message create and channel list, 50 concurrent clients';

export async function run(ctx) {
  const env = { ...process.env };
  const results = join(ROOT, 'bench', 'results', ctx.smoke ? 'rest.smoke.json' : 'rest.json');
  env.BENCH_RESULTS_FILE = results;
  if (ctx.smoke) Object.assign(env, { BENCH_DURATION_S: '2', BENCH_WARMUP_S: '1', BENCH_LIST_DURATION_S: '2', BENCH_WRITE_DOCS: '0' });
  if (ctx.noDocs) env.BENCH_WRITE_DOCS = '0';
  const code = await new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'bench', 'rest.mjs')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', (chunk) => {
      for (const line of chunk.toString().split('\n')) if (line.trim()) progress(`  ${line.trim()}`);
    });
    child.on('exit', resolve);
  });
  return summarize(JSON.parse(readFileSync(results, 'utf8')), code);
}

/** The scenario's figures from rest.mjs's own result (also used by the report when rest.json came from `npm run bench:rest`). */
export function summarize(r, code = 0) {
  const listOk = r.list && r.list.pages_with_wrong_count === 0 && Object.keys(r.list.errors).length === 0;
  const f = (name, unit, better, parley, baseline) => ({ name, unit, better, parley, baseline, ratio: ratio(parley, baseline) });
  return {
    config: r.config,
    parley: { create: r.rest, list: r.list },
    baseline: { kind: 'direct pg', create_same_shape: r.baseline, create_one_statement: r.baseline_one_statement, list: r.list_baseline },
    baseline_kind: 'direct pg',
    figures: [
      f('create req/s', '/s', 'higher', r.rest.creates_per_s, r.baseline.creates_per_s),
      f('create p99', 'ms', 'lower', r.rest.p99_ms, r.baseline.p99_ms),
      f('list req/s', '/s', 'higher', r.list?.per_s, r.list_baseline?.per_s),
      f('list p99', 'ms', 'lower', r.list?.p99_ms, r.list_baseline?.p99_ms),
    ],
    targets: [
      { what: '≥ 1,500 creates/s', met: r.rest.creates_per_s >= 1500 },
      { what: '≥ 0.5× direct (same shape)', met: r.ratio >= 0.5 },
    ],
    correctness: { parley: { ...r.correctness, list_pages_complete: listOk }, baseline: r.baseline_correctness, ok: code === 0 && r.correctness.ok && listOk },
    raw: r,
  };
}
