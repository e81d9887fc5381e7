import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/*
 * The architecture rules of DESIGN.md, checked on every import in the tree:
 * apps never import each other; libs never import apps; only message-service touches Postgres;
 * only libs/config reads process.env (tools and tests aside).
 */
const ROOT = join(__dirname, '..');

function sourceFiles(dir: string): string[] {
  let out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out = out.concat(sourceFiles(path));
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

const files = ['apps', 'libs'].flatMap((top) => sourceFiles(join(ROOT, top))).map((f) => relative(ROOT, f).split(sep).join('/'));
const isSpec = (f: string) => f.endsWith('.spec.ts');
const importsOf = (f: string) =>
  [...readFileSync(join(ROOT, f), 'utf8').matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1] ?? '');
const appOf = (f: string) => (f.startsWith('apps/') ? f.split('/')[1] : null);

describe('module boundaries', () => {
  it('finds the source tree', () => {
    expect(files.filter((f) => f.startsWith('apps/')).length).toBeGreaterThan(5);
    expect(files.filter((f) => f.startsWith('libs/')).length).toBeGreaterThan(5);
  });

  it('apps never import another app, libs never import an app', () => {
    const violations: string[] = [];
    for (const file of files) {
      const own = appOf(file);
      for (const spec of importsOf(file)) {
        if (!spec.startsWith('.')) continue;
        const target = relative(ROOT, join(ROOT, file, '..', spec)).split(sep).join('/');
        const targetApp = appOf(target);
        if (targetApp && targetApp !== own) violations.push(`${file} -> ${spec}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('only message-service talks to Postgres', () => {
    const violations = files
      .filter((f) => appOf(f) !== 'message-service' && !f.startsWith('libs/testing/'))
      .filter((f) => importsOf(f).some((s) => s === 'pg' || s === 'typeorm' || s.startsWith('@nestjs/typeorm')));
    expect(violations).toEqual([]);
  });

  it('only libs/config reads process.env', () => {
    const violations = files
      .filter((f) => !isSpec(f) && !f.startsWith('libs/config/') && !f.startsWith('libs/testing/'))
      .filter((f) => /process\.env\b/.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(violations).toEqual([]);
  });
});
