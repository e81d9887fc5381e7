#!/usr/bin/env node
// Bundles the client SDK (libs/client) for browsers, socket.io-client included, minified:
//   dist/client/parley-client.esm.js   ES module                 (import { Client } from '…/parley-client.esm.js')
//   dist/client/parley-client.umd.js   UMD: AMD, CommonJS, or the global `Parley` (globalThis.Parley.Client)
// esbuild has no UMD format: the UMD file is esbuild's CommonJS bundle inside a small UMD wrapper.
// Run after `node tools/build.mjs` (which empties dist/). Node consumers use dist/libs/client (swc output).
import { build } from 'esbuild';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'libs/client/src/index.ts');
const outDir = join(root, 'dist/client');
const GLOBAL_NAME = 'Parley';

const common = {
  entryPoints: [entry],
  bundle: true,
  minify: true,
  platform: 'browser',
  target: ['es2020'],
  // Browser builds of socket.io-client/engine.io-client (native WebSocket, no `ws`, no `debug` output).
  mainFields: ['browser', 'module', 'main'],
  conditions: ['browser'],
  legalComments: 'eof',
  sourcemap: true,
  write: false,
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"' },
  tsconfigRaw: { compilerOptions: { useDefineForClassFields: true } },
};

/** Writes an esbuild output (code + map), with `wrap` applied to the code. */
async function emit(result, file, wrap = (code) => code) {
  const code = result.outputFiles.find((f) => f.path.endsWith('.js'));
  const map = result.outputFiles.find((f) => f.path.endsWith('.map'));
  const name = file.split('/').pop();
  const body = wrap(code.text.replace(/\/\/# sourceMappingURL=.*\s*$/, ''));
  await writeFile(file, `${body}\n//# sourceMappingURL=${name}.map\n`);
  if (map) await writeFile(`${file}.map`, map.text);
  return Buffer.byteLength(body);
}

function umd(cjs) {
  // The factory runs the CommonJS bundle against a local `module` and returns its exports.
  return (
    `(function(r,f){typeof define=="function"&&define.amd?define([],f):typeof module=="object"&&module.exports?module.exports=f():r.${GLOBAL_NAME}=f()})` +
    `(typeof globalThis<"u"?globalThis:typeof self<"u"?self:this,function(){var module={exports:{}},exports=module.exports;\n` +
    `${cjs}\nreturn module.exports})`
  );
}

async function main() {
  const started = Date.now();
  await mkdir(outDir, { recursive: true });
  const esmFile = join(outDir, 'parley-client.esm.js');
  const umdFile = join(outDir, 'parley-client.umd.js');
  const [esm, cjs] = await Promise.all([
    build({ ...common, format: 'esm', outfile: esmFile }),
    build({ ...common, format: 'cjs', outfile: umdFile }),
  ]);
  const sizes = [
    [esmFile, await emit(esm, esmFile)],
    [umdFile, await emit(cjs, umdFile, umd)],
  ];
  for (const [file, bytes] of sizes) {
    const gz = gzipSync(await readFile(file)).length;
    process.stdout.write(`${relative(root, file).padEnd(36)} ${kb(bytes).padStart(9)} min  ${kb(gz).padStart(9)} gzip\n`);
  }
  process.stdout.write(`bundled the client SDK in ${Date.now() - started} ms\n`);
}

function kb(bytes) {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

main().catch((err) => {
  process.stderr.write(`${err?.stack ?? err}\n`);
  process.exit(1);
});
