#!/usr/bin/env node
// Summarises a V8 .cpuprofile (as `BENCH_CPU_PROF=1 node bench/rest.mjs` writes to tmp/bench-prof/):
// self time by function and by package/file, and the inclusive time of the functions named on the command line.
//   node bench/cpuprofile-summary.mjs tmp/bench-prof/api-gateway-1234.cpuprofile [--top 25] [--match name,...]
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a));
const top = Number(args[args.indexOf('--top') + 1]) || 25;
const matchArg = args.includes('--match') ? args[args.indexOf('--match') + 1] : '';
if (!file) {
  console.error('usage: node bench/cpuprofile-summary.mjs <file.cpuprofile> [--top N] [--match fnA,fnB]');
  process.exit(2);
}

const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// Self time per node from the sample deltas.
const self = new Map();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...self.values()].reduce((a, b) => a + b, 0);

const where = (cf) => {
  const url = cf.url || '';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  if (url.includes('/dist/')) return url.slice(url.indexOf('/dist/') + 6);
  if (url.startsWith('node:')) return url;
  return url || `(${cf.functionName || 'native'})`;
};

const add = (map, key, v) => map.set(key, (map.get(key) ?? 0) + v);
const fnSelf = new Map();
const pkgSelf = new Map();
for (const [id, t] of self) {
  const cf = byId.get(id).callFrame;
  add(fnSelf, `${cf.functionName || '(anonymous)'}  ${where(cf)}:${cf.lineNumber + 1}`, t);
  add(pkgSelf, where(cf), t);
}

const pct = (t) => `${((100 * t) / total).toFixed(1).padStart(5)}%`;
const print = (title, map) => {
  console.log(`\n${title}`);
  for (const [k, t] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(t)}  ${k}`);
};
console.log(`${file}: ${(total / 1e6).toFixed(2)} s sampled`);
print('self time by package / file', pkgSelf);
print('self time by function', fnSelf);

// Inclusive time of named functions: samples whose stack contains one (counted once per sample).
if (matchArg) {
  const names = matchArg.split(',');
  const incl = new Map(names.map((n) => [n, 0]));
  profile.samples.forEach((id, i) => {
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const name = byId.get(cur).callFrame.functionName;
      if (incl.has(name) && !seen.has(name)) {
        seen.add(name);
        incl.set(name, incl.get(name) + (profile.timeDeltas[i] ?? 0));
      }
    }
  });
  print('inclusive time of matched functions', incl);
}
