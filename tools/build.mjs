#!/usr/bin/env node
// Compiles every app and lib with swc into dist/, one JS file per TS file:
//   apps/<app>/src/**.ts  -> dist/apps/<app>/**.js   (entry: dist/apps/<app>/main.js)
//   libs/<lib>/src/**.ts  -> dist/libs/<lib>/**.js
// `@parley/<lib>` imports are rewritten to relative paths, so the output runs with plain `node`.
// Type checking is `npm run typecheck` (tsc); swc only transpiles, which keeps builds to a second or two.
import { transformFile } from '@swc/core';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist');

const swcOptions = {
  swcrc: false,
  sourceMaps: true,
  jsc: {
    target: 'es2022',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
};

async function listTs(dir) {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const files = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await listTs(path)));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') && !entry.name.endsWith('.d.ts')) files.push(path);
  }
  return files;
}

/** Source roots: each `<kind>/<name>/src` maps to `dist/<kind>/<name>`. */
async function sourceRoots() {
  const roots = [];
  for (const kind of ['apps', 'libs']) {
    const names = await readdir(join(root, kind)).catch(() => []);
    for (const name of names) roots.push({ src: join(root, kind, name, 'src'), dest: join(out, kind, name) });
  }
  return roots;
}

function rewriteAliases(code, destFile) {
  return code.replace(/require\("@parley\/([a-z-]+)"\)/g, (_, lib) => {
    let rel = relative(dirname(destFile), join(out, 'libs', lib, 'index.js')).split(sep).join('/');
    if (!rel.startsWith('.')) rel = `./${rel}`;
    return `require("${rel}")`;
  });
}

async function build() {
  const started = Date.now();
  // dist/ is rewritten in place and stale files removed afterwards, never emptied first: a running
  // service or test stack keeps working while another build runs.
  const written = new Set();
  const jobs = [];
  for (const { src, dest } of await sourceRoots()) {
    for (const file of await listTs(src)) {
      const destFile = join(dest, relative(src, file)).replace(/\.ts$/, '.js');
      written.add(destFile);
      written.add(`${destFile}.map`);
      jobs.push(
        (async () => {
          const result = await transformFile(file, { ...swcOptions, filename: file, sourceFileName: relative(dirname(destFile), file) });
          await mkdir(dirname(destFile), { recursive: true });
          const map = `//# sourceMappingURL=${destFile.split(sep).pop()}.map`;
          await writeFile(destFile, `${rewriteAliases(result.code, destFile)}\n${map}\n`);
          if (result.map) await writeFile(`${destFile}.map`, result.map);
        })(),
      );
    }
  }
  await Promise.all(jobs);
  await removeStale(join(out, 'apps'), written);
  await removeStale(join(out, 'libs'), written);
  process.stdout.write(`built ${jobs.length} files into dist/ in ${Date.now() - started} ms\n`);
}

async function removeStale(dir, keep) {
  if (!existsSync(dir)) return;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await removeStale(path, keep);
    else if (!keep.has(path)) await rm(path, { force: true });
  }
}

build().catch((err) => {
  process.stderr.write(`${err?.stack ?? err}\n`);
  process.exit(1);
});
