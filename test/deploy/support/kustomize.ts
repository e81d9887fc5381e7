// A small, offline kustomize renderer for the features k8s/ uses, so the manifests are validated even on a machine
// without a kustomize binary (or `kubectl kustomize`). Where `kubectl` is available, the deploy spec also renders
// with it and asserts both agree, so this renderer cannot silently drift from the real thing.
//
// Supported kustomization fields (anything else is rejected, never ignored):
//   resources   local YAML files and directories holding a kustomization.yaml (no remote URLs)
//   patches     strategic-merge patches given by `path` or inline `patch`, target taken from the patch itself
//               (no `target`, no JSON 6902); `$patch: delete` on a whole object; list merge keys per the table below
//   namespace   sets metadata.namespace on namespaced objects
//   labels      `pairs` added to metadata.labels (includeSelectors/includeTemplates must be false or absent)
//   replicas    `name` + `count` on Deployments/StatefulSets
//   images      `name` + `newName`/`newTag`/`digest` on containers and initContainers of pod templates
// Transformers run in kustomize's order: patches, namespace, labels, replicas, images.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface K8sObject extends JsonObject {
  apiVersion: string;
  kind: string;
  metadata: JsonObject & { name: string };
}

export class KustomizeError extends Error {}

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const SUPPORTED_FIELDS = new Set(['apiVersion', 'kind', 'resources', 'patches', 'namespace', 'labels', 'replicas', 'images']);

/** Kinds without a namespace among those this project may use. */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PersistentVolume',
  'StorageClass',
  'IngressClass',
  'PriorityClass',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
]);

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function objectId(o: K8sObject): string {
  const ns = typeof o.metadata.namespace === 'string' ? o.metadata.namespace : '';
  return `${o.kind}/${ns ? `${ns}/` : ''}${o.metadata.name}`;
}

/** Parses a multi-document YAML file into Kubernetes objects (empty documents skipped). */
export function loadYamlObjects(file: string): K8sObject[] {
  const docs = parseAllDocuments(readFileSync(file, 'utf8'), { merge: true });
  const out: K8sObject[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      throw new KustomizeError(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
    }
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) continue;
    if (!isObject(value) || typeof value.kind !== 'string' || typeof value.apiVersion !== 'string') {
      throw new KustomizeError(`${file}: every document must be an object with apiVersion and kind`);
    }
    const metadata = value.metadata;
    if (!isObject(metadata) || typeof metadata.name !== 'string') {
      throw new KustomizeError(`${file}: ${value.kind} without metadata.name`);
    }
    out.push(value as K8sObject);
  }
  return out;
}

function kustomizationFile(dir: string): string {
  for (const name of KUSTOMIZATION_FILES) {
    const file = join(dir, name);
    if (existsSync(file)) return file;
  }
  throw new KustomizeError(`${dir}: no kustomization.yaml`);
}

function asArray(value: Json | undefined, what: string): Json[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new KustomizeError(`${what} must be a list`);
  return value;
}

/** Renders the kustomization in `dir` (a directory holding kustomization.yaml). */
export function renderKustomization(dir: string): K8sObject[] {
  const root = resolve(dir);
  const file = kustomizationFile(root);
  const k = loadPlainYaml(file);
  for (const key of Object.keys(k)) {
    if (!SUPPORTED_FIELDS.has(key)) {
      throw new KustomizeError(`${file}: field "${key}" is not supported by the offline renderer`);
    }
  }

  let objects: K8sObject[] = [];
  for (const entry of asArray(k.resources, `${file}: resources`)) {
    if (typeof entry !== 'string') throw new KustomizeError(`${file}: resources entries must be paths`);
    if (/^[a-z]+:\/\//i.test(entry) || entry.includes('?ref=')) {
      throw new KustomizeError(`${file}: remote resource "${entry}" is not supported`);
    }
    const path = resolve(root, entry);
    if (!existsSync(path)) throw new KustomizeError(`${file}: resource "${entry}" does not exist`);
    objects.push(...(statSync(path).isDirectory() ? renderKustomization(path) : loadYamlObjects(path)));
  }
  assertUniqueIds(objects, file);

  for (const entry of asArray(k.patches, `${file}: patches`)) {
    if (!isObject(entry)) throw new KustomizeError(`${file}: patches entries must be objects`);
    for (const key of Object.keys(entry)) {
      if (key !== 'path' && key !== 'patch') {
        throw new KustomizeError(`${file}: patches.${key} is not supported by the offline renderer`);
      }
    }
    let patchObjects: K8sObject[];
    let source: string;
    if (typeof entry.path === 'string') {
      source = resolve(root, entry.path);
      if (!existsSync(source)) throw new KustomizeError(`${file}: patch "${entry.path}" does not exist`);
      patchObjects = loadYamlObjects(source);
    } else if (typeof entry.patch === 'string') {
      source = `${file} (inline patch)`;
      patchObjects = parseAllDocuments(entry.patch, { merge: true })
        .map((d) => d.toJS() as unknown)
        .filter((v): v is K8sObject => isObject(v));
    } else {
      throw new KustomizeError(`${file}: a patch needs "path" or "patch"`);
    }
    for (const patch of patchObjects) objects = applyStrategicMergePatch(objects, patch, source);
  }

  if (k.namespace !== undefined) {
    if (typeof k.namespace !== 'string') throw new KustomizeError(`${file}: namespace must be a string`);
    objects = objects.map((o) => setNamespace(o, k.namespace as string, file));
  }

  for (const entry of asArray(k.labels, `${file}: labels`)) {
    if (!isObject(entry) || !isObject(entry.pairs)) throw new KustomizeError(`${file}: labels entries need "pairs"`);
    for (const key of Object.keys(entry)) {
      if (key === 'pairs') continue;
      if ((key === 'includeSelectors' || key === 'includeTemplates') && entry[key] === false) continue;
      throw new KustomizeError(`${file}: labels.${key} is not supported by the offline renderer`);
    }
    const pairs = entry.pairs;
    objects = objects.map((o) => {
      const copy = clone(o);
      const labels = isObject(copy.metadata.labels) ? copy.metadata.labels : {};
      copy.metadata.labels = { ...labels, ...pairs };
      return copy;
    });
  }

  for (const entry of asArray(k.replicas, `${file}: replicas`)) {
    if (!isObject(entry) || typeof entry.name !== 'string' || typeof entry.count !== 'number') {
      throw new KustomizeError(`${file}: replicas entries need "name" and a numeric "count"`);
    }
    const targets = objects.filter(
      (o) => (o.kind === 'Deployment' || o.kind === 'StatefulSet') && o.metadata.name === entry.name,
    );
    if (targets.length === 0) throw new KustomizeError(`${file}: replicas: no Deployment/StatefulSet "${entry.name}"`);
    for (const t of targets) (t.spec as JsonObject).replicas = entry.count;
  }

  for (const entry of asArray(k.images, `${file}: images`)) {
    if (!isObject(entry) || typeof entry.name !== 'string') throw new KustomizeError(`${file}: images entries need "name"`);
    for (const key of Object.keys(entry)) {
      if (!['name', 'newName', 'newTag', 'digest'].includes(key)) {
        throw new KustomizeError(`${file}: images.${key} is not supported by the offline renderer`);
      }
    }
    for (const o of objects) for (const c of podContainers(o)) c.image = retag(c.image, entry);
  }

  return objects;
}

function loadPlainYaml(file: string): JsonObject {
  const docs = parseAllDocuments(readFileSync(file, 'utf8'), { merge: true });
  if (docs.length !== 1 || docs[0].errors.length > 0) throw new KustomizeError(`${file}: expected one YAML document`);
  const value = docs[0].toJS() as unknown;
  if (!isObject(value)) throw new KustomizeError(`${file}: expected a mapping`);
  return value;
}

function assertUniqueIds(objects: K8sObject[], file: string): void {
  const seen = new Set<string>();
  for (const o of objects) {
    const id = `${o.apiVersion.split('/').length > 1 ? o.apiVersion.split('/')[0] : ''}|${objectId(o)}`;
    if (seen.has(id)) throw new KustomizeError(`${file}: duplicate resource ${objectId(o)}`);
    seen.add(id);
  }
}

function setNamespace(o: K8sObject, namespace: string, file: string): K8sObject {
  const copy = clone(o);
  if (copy.kind === 'Namespace') {
    // kustomize renames a Namespace object to the kustomization's namespace; keep them equal instead.
    if (copy.metadata.name !== namespace) {
      throw new KustomizeError(`${file}: Namespace "${copy.metadata.name}" differs from namespace "${namespace}"`);
    }
    return copy;
  }
  if (!CLUSTER_SCOPED.has(copy.kind)) copy.metadata.namespace = namespace;
  return copy;
}

export function clone<T extends Json>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

// ---------------------------------------------------------------------------------------------------------------------
// Strategic merge patch

/** Group of an apiVersion ("" for the core group). Patches match on group, kind, name (and namespace if given). */
function apiGroup(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
}

function applyStrategicMergePatch(objects: K8sObject[], patch: K8sObject, source: string): K8sObject[] {
  const ns = typeof patch.metadata.namespace === 'string' ? patch.metadata.namespace : undefined;
  const matches = objects.filter(
    (o) =>
      o.kind === patch.kind &&
      apiGroup(o.apiVersion) === apiGroup(patch.apiVersion) &&
      o.metadata.name === patch.metadata.name &&
      (ns === undefined || o.metadata.namespace === ns),
  );
  if (matches.length !== 1) {
    throw new KustomizeError(
      `${source}: patch for ${patch.kind}/${patch.metadata.name} matches ${matches.length} resources (expected 1)`,
    );
  }
  const target = matches[0];
  if (patch.$patch === 'delete') return objects.filter((o) => o !== target);
  if (patch.$patch !== undefined) throw new KustomizeError(`${source}: $patch: ${String(patch.$patch)} is not supported`);
  const merged = mergeValue(target, patch, target.kind, '', source) as K8sObject;
  return objects.map((o) => (o === target ? merged : o));
}

/**
 * Merge keys of the object lists this project may patch, by kind-independent field path ("[]" = list element).
 * 'replace' marks lists that strategic merge replaces whole (no patchMergeKey in the Kubernetes API).
 * A patched list of objects whose path is in neither table is an error, so the renderer never guesses.
 */
const POD_SPEC_PATHS = ['spec.template.spec', 'spec.jobTemplate.spec.template.spec'];
const LIST_RULES: Array<{ path: RegExp; key: string | 'replace' }> = [
  ...POD_SPEC_PATHS.flatMap((p) => {
    const base = p.replace(/\./g, '\\.');
    const container = `${base}\\.(?:containers|initContainers)\\[\\]`;
    return [
      { path: new RegExp(`^${base}\\.(?:containers|initContainers|volumes|imagePullSecrets)$`), key: 'name' },
      { path: new RegExp(`^${container}\\.env$`), key: 'name' },
      { path: new RegExp(`^${container}\\.ports$`), key: 'containerPort' },
      { path: new RegExp(`^${container}\\.volumeMounts$`), key: 'mountPath' },
      { path: new RegExp(`^${base}\\.topologySpreadConstraints$`), key: 'topologyKey' },
      { path: new RegExp(`^${container}\\.envFrom$`), key: 'replace' },
      { path: new RegExp(`^${base}\\.tolerations$`), key: 'replace' },
    ];
  }),
  { path: /^spec\.ports$/, key: 'port' }, // Service
  { path: /^spec\.(rules|tls)$/, key: 'replace' }, // Ingress
  { path: /^spec\.metrics$/, key: 'replace' }, // HorizontalPodAutoscaler
  { path: /^spec\.(ingress|egress)$/, key: 'replace' }, // NetworkPolicy
  { path: /^spec\.volumeClaimTemplates$/, key: 'replace' },
];

function mergeValue(base: Json | undefined, patch: Json, kind: string, path: string, source: string): Json {
  if (isObject(patch)) {
    if (!isObject(base)) return stripDirectives(patch, source, path);
    const out: JsonObject = { ...base };
    for (const [key, value] of Object.entries(patch)) {
      if (key.startsWith('$')) throw new KustomizeError(`${source}: ${path}.${key} directive is not supported`);
      const childPath = path ? `${path}.${key}` : key;
      if (value === null) delete out[key];
      else out[key] = mergeValue(base[key], value, kind, childPath, source);
    }
    return out;
  }
  if (Array.isArray(patch)) {
    if (!patch.some(isObject)) return patch; // lists of scalars: replaced, as strategic merge does for these fields
    const rule = LIST_RULES.find((r) => r.path.test(path));
    if (!rule) throw new KustomizeError(`${source}: ${kind} ${path}: merging this list is not supported`);
    if (rule.key === 'replace' || !Array.isArray(base)) return patch.map((p) => stripDirectives(p, source, path));
    // Order as kustomize produces it: the patch's elements in patch order (merged into their base element when
    // the key matches), then the base elements the patch does not name, in base order.
    const key = rule.key;
    const out: Json[] = [];
    const named = new Set<Json>();
    for (const item of patch) {
      if (!isObject(item) || item[key] === undefined) {
        throw new KustomizeError(`${source}: ${path}: every element needs its merge key "${key}"`);
      }
      named.add(item[key]);
      if (item.$patch === 'delete') continue;
      const match = base.find((b) => isObject(b) && b[key] === item[key]);
      out.push(match !== undefined ? mergeValue(match, item, kind, `${path}[]`, source) : stripDirectives(item, source, `${path}[]`));
    }
    for (const b of base) if (!(isObject(b) && named.has(b[key]))) out.push(b);
    return out;
  }
  return patch;
}

function stripDirectives(value: Json, source: string, path: string): Json {
  if (Array.isArray(value)) return value.map((v) => stripDirectives(v, source, path));
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) {
    if (k.startsWith('$')) throw new KustomizeError(`${source}: ${path}.${k} directive is not supported here`);
    if (v !== null) out[k] = stripDirectives(v, source, `${path}.${k}`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------------
// Images

/** The pod spec of a workload object, if it has one. */
export function podSpecOf(o: K8sObject): JsonObject | undefined {
  if (o.kind === 'Pod') return isObject(o.spec) ? o.spec : undefined;
  const spec = o.spec;
  if (!isObject(spec)) return undefined;
  if (o.kind === 'CronJob') {
    const job = spec.jobTemplate;
    const template = isObject(job) && isObject(job.spec) ? job.spec.template : undefined;
    return isObject(template) && isObject(template.spec) ? template.spec : undefined;
  }
  const template = spec.template;
  return isObject(template) && isObject(template.spec) ? template.spec : undefined;
}

function podContainers(o: K8sObject): Array<JsonObject & { image: string }> {
  const pod = podSpecOf(o);
  if (!pod) return [];
  const all = [...asArray(pod.containers, 'containers'), ...asArray(pod.initContainers, 'initContainers')];
  return all.filter((c): c is JsonObject & { image: string } => isObject(c) && typeof c.image === 'string');
}

/** Splits "registry:5000/repo/name:tag@sha256:..." into name, tag and digest. */
export function parseImage(image: string): { name: string; tag?: string; digest?: string } {
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  let tag: string | undefined;
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return { name: rest, tag, digest };
}

function retag(image: string, entry: JsonObject): string {
  const parsed = parseImage(image);
  if (parsed.name !== entry.name) return image;
  const name = typeof entry.newName === 'string' ? entry.newName : parsed.name;
  if (typeof entry.digest === 'string') return `${name}@${entry.digest}`;
  if (entry.newTag !== undefined && entry.newTag !== null) return `${name}:${String(entry.newTag)}`;
  return `${name}${parsed.tag !== undefined ? `:${parsed.tag}` : ''}${parsed.digest ? `@${parsed.digest}` : ''}`;
}

/** Renders with `kubectl kustomize` when kubectl is installed; undefined when it is not. */
export function renderWithKubectl(dir: string): K8sObject[] | undefined {
  const probe = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return undefined;
  const run = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new KustomizeError(`kubectl kustomize ${dir} failed: ${run.stderr}`);
  const docs = parseAllDocuments(run.stdout);
  return docs.map((d) => d.toJS() as unknown).filter((v): v is K8sObject => isObject(v));
}

export const repoRoot = resolve(__dirname, '..', '..', '..');
export const repoPath = (...parts: string[]): string => join(repoRoot, ...parts);
