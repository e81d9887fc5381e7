#!/usr/bin/env node
// `npm run bench` — every scenario; `npm run bench -- <scenario> [<scenario>…]` — some of them.
// Each scenario starts what it measures (Parley's built services, or the bare Socket.IO baseline pair), drives it
// from load-generator processes, checks its own correctness, and writes bench/results/<scenario>.json; at the end
// the summary table and the chart in docs/benchmarks.md and docs/benchmarks.svg are rewritten from every result file.
//
// Options: --smoke (tiny loads: a harness check, not a measurement), --parley-only / --baseline-only,
// --no-docs (leave docs/ alone). Settings per scenario: bench/README.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { RESULTS_DIR, machine, num, progress, round } from './lib/common.mjs';
import { writeDocs } from './lib/report.mjs';

export const SCENARIOS = ['rest', 'persist', 'hot-channel', 'fanout', 'idle', 'reconnect-storm', 'presence'];

const args = process.argv.slice(2);
const flags = new Set(args.filter((a) => a.startsWith('--')));
const wanted = args.filter((a) => !a.startsWith('--'));
for (const name of wanted) {
  if (!SCENARIOS.includes(name)) {
    console.error(`unknown scenario "${name}"; one of: ${SCENARIOS.join(', ')}`);
    process.exit(2);
  }
}
const chosen = wanted.length ? SCENARIOS.filter((s) => wanted.includes(s)) : SCENARIOS;
const ctx = {
  smoke: flags.has('--smoke'),
  workers: num('BENCH_WORKERS', 4),
  noDocs: flags.has('--no-docs'),
  only: flags.has('--parley-only') ? ['parley'] : flags.has('--baseline-only') ? ['baseline'] : undefined,
};

let failed = false;
const runStart = Date.now();
progress(`bench: ${chosen.join(', ')}${ctx.smoke ? ' (smoke: tiny loads, not a measurement)' : ''}; ${ctx.workers} load generators; ${os.cpus().length} CPUs`);
for (const name of chosen) {
  const load = os.loadavg()[0];
  progress(`== ${name} (load average ${load.toFixed(2)})`);
  if (load > 0.5 * os.cpus().length) progress(`   warning: load average ${load.toFixed(2)} before the scenario: figures will be low and noisy`);
  const t0 = Date.now();
  const scenario = await import(`./scenarios/${name}.mjs`);
  let result;
  try {
    result = await scenario.run(ctx);
  } catch (err) {
    progress(`   ${name} failed: ${err?.stack ?? err}`);
    result = { status: 'failed', error: String(err?.message ?? err) };
  }
  const report = {
    scenario: name,
    title: scenario.title,
    date: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    duration_s: round((Date.now() - t0) / 1000, 1),
    machine: machine(),
    load_average_before: round(load, 2),
    smoke: ctx.smoke || undefined,
    status: result.status ?? (result.correctness?.ok === false ? 'incorrect' : 'ok'),
    ...result,
  };
  if (report.status !== 'ok' && report.status !== 'blocked') failed = true;
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, ctx.smoke ? `${name}.smoke.json` : `${name}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  const figures = (report.figures ?? []).map((f) => `${f.name} ${f.parley ?? '–'}/${f.baseline ?? '–'} (×${f.ratio ?? '–'})`).join('; ');
  progress(`   ${name}: ${report.status} in ${report.duration_s} s — ${figures}`);
}
if (!ctx.smoke && !flags.has('--no-docs')) {
  const written = writeDocs();
  progress(`wrote ${written.join(', ')}`);
}
progress(`bench done in ${((Date.now() - runStart) / 1000).toFixed(0)} s${failed ? ' — some scenario failed or was incorrect' : ''}`);
process.exit(failed ? 1 : 0);
