// Schema validation of Kubernetes objects, offline, with the `kubernetes-models` package.
//
// 1. `new Model(doc).validate()` runs the package's compiled JSON-schema validators (types, required fields,
//    formats such as quantities). Those validators ignore properties they do not know, so a misspelled field
//    (`contianers`, `readinesProbe`) passes them — and the API server would drop it silently on apply.
// 2. The strict check closes that gap: it walks each object against the TypeScript declarations that ship with
//    kubernetes-models (the same OpenAPI definitions, as interfaces; the package carries no raw JSON schemas) and
//    reports every property the schema does not declare.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { isObject, type Json, type K8sObject, objectId, repoRoot } from './kustomize';

const requireFromRepo = createRequire(join(repoRoot, 'package.json'));

/** Module of kubernetes-models declaring a kind: "apps/v1" + "Deployment" -> "kubernetes-models/apps/v1/Deployment". */
function modelModule(apiVersion: string, kind: string): string {
  return `kubernetes-models/${apiVersion}/${kind}`;
}

function resolveModel(apiVersion: string, kind: string): string | undefined {
  if (!/^[a-z0-9.-]+(\/[a-z0-9]+)?$/.test(apiVersion) || !/^[A-Z][A-Za-z0-9]*$/.test(kind)) return undefined;
  try {
    return requireFromRepo.resolve(modelModule(apiVersion, kind));
  } catch {
    return undefined;
  }
}

/** Runs kubernetes-models' own validator. Returns error messages (empty when valid). */
export function validateWithModels(o: K8sObject): string[] {
  const file = resolveModel(o.apiVersion, o.kind);
  if (!file) return [`${objectId(o)}: ${o.apiVersion} ${o.kind} is not a Kubernetes kind known to kubernetes-models`];
  const mod = requireFromRepo(file) as Record<string, new (data: unknown) => { validate(): void }>;
  const Model = mod[o.kind];
  try {
    new Model(o).validate();
    return [];
  } catch (e) {
    return [`${objectId(o)}: ${(e as Error).message}`];
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Strict unknown-field check over the TypeScript declarations of kubernetes-models.

interface StrictChecker {
  checker: ts.TypeChecker;
  /** The declared interface (I<Kind>) per "apiVersion|kind"; undefined when kubernetes-models has none. */
  types: Map<string, ts.Type | undefined>;
}

// Declaration files parsed once and shared by every program built below.
const sourceFiles = new Map<string, ts.SourceFile>();

/** A TypeScript program over a virtual file that names the interface of each kind given. */
function strictCheckerFor(kinds: Array<{ apiVersion: string; kind: string }>): StrictChecker {
  const keys = [...new Set(kinds.map((k) => `${k.apiVersion}|${k.kind}`))].filter((key) => {
    const [apiVersion, kind] = key.split('|');
    return resolveModel(apiVersion, kind) !== undefined;
  });
  const entryFile = join(repoRoot, 'node_modules', '.parley-deploy-validate', 'entry.ts');
  const source = keys
    .map((key, i) => {
      const [apiVersion, kind] = key.split('|');
      return `export type T${i} = import(${JSON.stringify(modelModule(apiVersion, kind))}).I${kind};`;
    })
    .join('\n');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (f) => f === entryFile || fileExists.call(host, f);
  host.readFile = (f) => (f === entryFile ? source : readFile.call(host, f));
  host.getSourceFile = (f, lang, onError, create) => {
    if (f === entryFile) return ts.createSourceFile(f, source, lang);
    let sf = sourceFiles.get(f);
    if (!sf) {
      sf = getSourceFile.call(host, f, lang, onError, create);
      if (sf) sourceFiles.set(f, sf);
    }
    return sf;
  };
  host.getCurrentDirectory = () => dirname(entryFile);
  const program = ts.createProgram([entryFile], options, host);
  const checker = program.getTypeChecker();
  const sf = program.getSourceFile(entryFile);
  const moduleSymbol = sf ? checker.getSymbolAtLocation(sf) : undefined;
  if (!moduleSymbol) throw new Error('strict schema check: the virtual entry file did not load');
  const exportsByName = new Map(checker.getExportsOfModule(moduleSymbol).map((s) => [s.name, s]));
  const types = new Map<string, ts.Type | undefined>();
  keys.forEach((key, i) => {
    const symbol = exportsByName.get(`T${i}`);
    const type = symbol ? checker.getDeclaredTypeOfSymbol(symbol) : undefined;
    // An unresolved import yields the error type (flag Any): no schema for that kind.
    types.set(key, type && !(type.flags & ts.TypeFlags.Any) ? type : undefined);
  });
  return { checker, types };
}

function nonNullableMembers(checker: ts.TypeChecker, type: ts.Type): ts.Type[] {
  const t = checker.getNonNullableType(type);
  return t.isUnion() ? t.types : [t];
}

function isArrayLike(checker: ts.TypeChecker, t: ts.Type): boolean {
  return checker.isArrayType(t) || checker.isTupleType(t);
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

function suggestion(key: string, known: string[]): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = levenshtein(key, k);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(key.length / 4)) ? ` (did you mean "${best}"?)` : '';
}

function walk(checker: ts.TypeChecker, value: Json, type: ts.Type, path: string, errors: string[]): void {
  if (value === null) return;
  const members = nonNullableMembers(checker, type);
  if (members.some((m) => m.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown))) return;

  if (Array.isArray(value)) {
    const arrayType = members.find((m) => isArrayLike(checker, m));
    const element = arrayType?.getNumberIndexType();
    if (!element) return; // not an array in the schema: the type check of validateWithModels reports it
    value.forEach((item, i) => walk(checker, item, element, `${path}[${i}]`, errors));
    return;
  }
  if (!isObject(value)) return; // scalars: types and formats are validateWithModels' job

  const objectType = members.find(
    (m) => (m.flags & ts.TypeFlags.Object) !== 0 && !isArrayLike(checker, m) && m.getCallSignatures().length === 0,
  );
  if (!objectType) return;
  const indexType = objectType.getStringIndexType();
  const properties = checker.getPropertiesOfType(objectType);
  if (indexType && properties.length === 0) {
    // A map (labels, annotations, data, resources.limits, ...): any key, values of one type.
    for (const [k, v] of Object.entries(value)) walk(checker, v, indexType, `${path}.${k}`, errors);
    return;
  }
  const known = properties.map((p) => p.name);
  for (const [k, v] of Object.entries(value)) {
    const prop = checker.getPropertyOfType(objectType, k);
    if (!prop) {
      if (indexType) walk(checker, v, indexType, `${path}.${k}`, errors);
      else errors.push(`${path}.${k}: unknown field${suggestion(k, known)}`);
      continue;
    }
    walk(checker, v, checker.getTypeOfSymbol(prop), `${path}.${k}`, errors);
  }
}

/** Reports every property of each object that its Kubernetes schema does not declare. */
export function strictUnknownFields(objects: K8sObject[]): string[] {
  const { checker, types } = strictCheckerFor(objects);
  const errors: string[] = [];
  for (const o of objects) {
    const type = types.get(`${o.apiVersion}|${o.kind}`);
    if (!type) {
      errors.push(`${objectId(o)}: ${o.apiVersion} ${o.kind} has no schema in kubernetes-models`);
      continue;
    }
    const found: string[] = [];
    walk(checker, o, type, '', found);
    errors.push(...found.map((e) => `${objectId(o)}: ${e.replace(/^\./, '')}`));
  }
  return errors;
}

/** Both checks: kubernetes-models' validator and the strict unknown-field walk. */
export function validateSchemas(objects: K8sObject[]): string[] {
  return [...objects.flatMap(validateWithModels), ...strictUnknownFields(objects)];
}
