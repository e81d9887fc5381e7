// Deployment policy over rendered Kubernetes objects: what the schema cannot say but production needs.
// Each check returns messages naming the object; an empty list means the set of objects passes.
import { isObject, type Json, type JsonObject, type K8sObject, objectId, podSpecOf } from './kustomize';

export interface PolicyOptions {
  /** Secrets the manifests reference but that are created outside them (name -> keys). */
  externalSecrets?: Record<string, string[]>;
}

type Labels = Record<string, string>;

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet']);

function ns(o: K8sObject): string {
  return typeof o.metadata.namespace === 'string' ? o.metadata.namespace : '';
}

function obj(value: Json | undefined): JsonObject {
  return isObject(value) ? value : {};
}

function list(value: Json | undefined): Json[] {
  return Array.isArray(value) ? value : [];
}

function objects(value: Json | undefined): JsonObject[] {
  return list(value).filter(isObject);
}

function labelsOf(value: Json | undefined): Labels {
  const out: Labels = {};
  for (const [k, v] of Object.entries(obj(value))) if (typeof v === 'string') out[k] = v;
  return out;
}

function podLabels(o: K8sObject): Labels {
  return labelsOf(obj(obj(obj(o.spec).template).metadata).labels);
}

/** Kubernetes label-selector semantics (matchLabels and matchExpressions); an empty selector matches everything. */
export function selectorMatches(selector: Json | undefined, labels: Labels): boolean {
  const s = obj(selector);
  for (const [k, v] of Object.entries(labelsOf(s.matchLabels))) if (labels[k] !== v) return false;
  for (const e of objects(s.matchExpressions)) {
    const key = String(e.key);
    const values = list(e.values).map(String);
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(labels[key])) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

function isEmptySelector(selector: Json | undefined): boolean {
  const s = obj(selector);
  return Object.keys(labelsOf(s.matchLabels)).length === 0 && objects(s.matchExpressions).length === 0;
}

/** Parses a Kubernetes quantity into a number of base units (cores, bytes). */
export function parseQuantity(q: Json | undefined): number | undefined {
  if (typeof q === 'number') return q;
  if (typeof q !== 'string') return undefined;
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/.exec(q);
  if (!m) return undefined;
  const factors: Record<string, number> = {
    Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
    n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  };
  return Number(m[1]) * (m[2] ? factors[m[2]] : 1);
}

function containersOf(o: K8sObject): JsonObject[] {
  const pod = podSpecOf(o);
  return pod ? objects(pod.containers) : [];
}

function containerPortNames(o: K8sObject): Set<string | number> {
  const out = new Set<string | number>();
  for (const c of containersOf(o)) {
    for (const p of objects(c.ports)) {
      if (typeof p.name === 'string') out.add(p.name);
      if (typeof p.containerPort === 'number') out.add(p.containerPort);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------------

/** Probes, resources and a locked-down security context on every container of every workload. */
function checkWorkloads(all: K8sObject[]): string[] {
  const errors: string[] = [];
  for (const o of all.filter((x) => WORKLOAD_KINDS.has(x.kind))) {
    const id = objectId(o);
    const spec = obj(o.spec);
    const pod = podSpecOf(o) ?? {};
    const podSc = obj(pod.securityContext);
    if (isEmptySelector(spec.selector)) errors.push(`${id}: empty selector`);
    else if (!selectorMatches(spec.selector, podLabels(o))) errors.push(`${id}: selector does not match its pod template labels`);

    const containers = containersOf(o);
    if (containers.length === 0) errors.push(`${id}: no containers`);
    const ports = containerPortNames(o);
    const checked: Array<[JsonObject, boolean]> = [
      ...containers.map((c): [JsonObject, boolean] => [c, false]),
      ...objects(pod.initContainers).map((c): [JsonObject, boolean] => [c, true]),
    ];
    for (const [c, init] of checked) {
      const cid = `${id} ${init ? 'initContainer' : 'container'} "${String(c.name)}"`;
      if (!init) {
        for (const probe of ['livenessProbe', 'readinessProbe'] as const) {
          if (!isObject(c[probe])) errors.push(`${cid}: no ${probe}`);
        }
        for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
          const p = obj(c[probe]);
          for (const handler of ['httpGet', 'tcpSocket', 'grpc'] as const) {
            const port = obj(p[handler]).port;
            if (port !== undefined && !ports.has(port as string | number)) {
              errors.push(`${cid}: ${probe} uses port ${String(port)}, which no container declares`);
            }
          }
        }
      }
      const resources = obj(c.resources);
      for (const kind of ['requests', 'limits'] as const) {
        for (const r of ['cpu', 'memory'] as const) {
          if (obj(resources[kind])[r] === undefined) errors.push(`${cid}: no resources.${kind}.${r}`);
        }
      }
      for (const r of ['cpu', 'memory'] as const) {
        const req = parseQuantity(obj(resources.requests)[r]);
        const lim = parseQuantity(obj(resources.limits)[r]);
        if (req !== undefined && lim !== undefined && req > lim) errors.push(`${cid}: ${r} request above its limit`);
      }
      const sc = obj(c.securityContext);
      const runAsNonRoot = sc.runAsNonRoot ?? podSc.runAsNonRoot;
      if (runAsNonRoot !== true) errors.push(`${cid}: runAsNonRoot is not true`);
      const runAsUser = sc.runAsUser ?? podSc.runAsUser;
      if (runAsUser === 0) errors.push(`${cid}: runAsUser is 0`);
      if (sc.readOnlyRootFilesystem !== true) errors.push(`${cid}: readOnlyRootFilesystem is not true`);
      if (sc.allowPrivilegeEscalation !== false) errors.push(`${cid}: allowPrivilegeEscalation is not false`);
      if (sc.privileged === true) errors.push(`${cid}: privileged`);
      if (!list(obj(sc.capabilities).drop).includes('ALL')) errors.push(`${cid}: capabilities do not drop ALL`);
      if (list(obj(sc.capabilities).add).length > 0) errors.push(`${cid}: adds capabilities`);
      const seccomp = obj(sc.seccompProfile ?? podSc.seccompProfile).type;
      if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') errors.push(`${cid}: no RuntimeDefault seccompProfile`);
      const image = typeof c.image === 'string' ? c.image : '';
      if (!/[:@]/.test(image.slice(image.lastIndexOf('/') + 1)) || image.endsWith(':latest')) {
        errors.push(`${cid}: image "${image}" has no pinned tag`);
      }
    }
    if (pod.hostNetwork === true || pod.hostPID === true || pod.hostIPC === true) errors.push(`${id}: uses host namespaces`);
  }
  return errors;
}

/** Every Deployment is covered by a PodDisruptionBudget; every PDB covers some workload. */
function checkDisruptionBudgets(all: K8sObject[]): string[] {
  const errors: string[] = [];
  const pdbs = all.filter((o) => o.kind === 'PodDisruptionBudget');
  const workloads = all.filter((o) => WORKLOAD_KINDS.has(o.kind));
  for (const d of all.filter((o) => o.kind === 'Deployment')) {
    const covered = pdbs.some(
      (p) => ns(p) === ns(d) && !isEmptySelector(obj(p.spec).selector) && selectorMatches(obj(p.spec).selector, podLabels(d)),
    );
    if (!covered) errors.push(`${objectId(d)}: no PodDisruptionBudget selects its pods`);
  }
  for (const p of pdbs) {
    const matches = workloads.some((w) => ns(w) === ns(p) && selectorMatches(obj(p.spec).selector, podLabels(w)));
    if (isEmptySelector(obj(p.spec).selector) || !matches) errors.push(`${objectId(p)}: selects no workload's pods`);
  }
  return errors;
}

/** Every HPA targets an existing workload that requests the resources it scales on and leaves replicas to it. */
function checkAutoscalers(all: K8sObject[]): string[] {
  const errors: string[] = [];
  for (const h of all.filter((o) => o.kind === 'HorizontalPodAutoscaler')) {
    const id = objectId(h);
    const spec = obj(h.spec);
    const ref = obj(spec.scaleTargetRef);
    const target = all.find(
      (o) => o.kind === ref.kind && o.apiVersion === ref.apiVersion && o.metadata.name === ref.name && ns(o) === ns(h),
    );
    if (!target) {
      errors.push(`${id}: scaleTargetRef ${String(ref.apiVersion)} ${String(ref.kind)}/${String(ref.name)} does not exist`);
      continue;
    }
    const min = typeof spec.minReplicas === 'number' ? spec.minReplicas : 1;
    if (typeof spec.maxReplicas !== 'number' || spec.maxReplicas < min) errors.push(`${id}: maxReplicas below minReplicas`);
    if (obj(target.spec).replicas !== undefined) {
      errors.push(`${objectId(target)}: sets spec.replicas although ${id} scales it (every apply would reset the count)`);
    }
    for (const m of objects(spec.metrics)) {
      const resource = obj(m.resource);
      if (m.type === 'Resource' && obj(resource.target).type === 'Utilization') {
        const name = String(resource.name);
        for (const c of containersOf(target)) {
          if (obj(obj(c.resources).requests)[name] === undefined) {
            errors.push(`${id}: scales on ${name} utilization but ${objectId(target)} container "${String(c.name)}" requests no ${name}`);
          }
        }
      }
    }
  }
  return errors;
}

/** Every Service selects an existing workload's pods, on ports those pods declare. */
function checkServices(all: K8sObject[]): string[] {
  const errors: string[] = [];
  const workloads = all.filter((o) => WORKLOAD_KINDS.has(o.kind));
  for (const s of all.filter((o) => o.kind === 'Service')) {
    const id = objectId(s);
    const spec = obj(s.spec);
    if (spec.type === 'ExternalName') continue;
    const selector = labelsOf(spec.selector);
    if (Object.keys(selector).length === 0) {
      errors.push(`${id}: no selector`);
      continue;
    }
    const selected = workloads.filter((w) => ns(w) === ns(s) && selectorMatches({ matchLabels: selector }, podLabels(w)));
    if (selected.length === 0) {
      errors.push(`${id}: selects no Deployment's or StatefulSet's pods`);
      continue;
    }
    for (const p of objects(spec.ports)) {
      const target = p.targetPort ?? p.port;
      for (const w of selected) {
        if (!containerPortNames(w).has(target as string | number)) {
          errors.push(`${id}: targetPort ${String(target)} is not a container port of ${objectId(w)}`);
        }
      }
    }
  }
  for (const st of all.filter((o) => o.kind === 'StatefulSet')) {
    const name = obj(st.spec).serviceName;
    const svc = all.find((o) => o.kind === 'Service' && o.metadata.name === name && ns(o) === ns(st));
    if (!svc) errors.push(`${objectId(st)}: serviceName "${String(name)}" does not exist`);
    else if (obj(svc.spec).clusterIP !== 'None') errors.push(`${objectId(st)}: serviceName "${String(name)}" is not headless`);
  }
  return errors;
}

/** Every Ingress backend is an existing Service port. */
function checkIngresses(all: K8sObject[]): string[] {
  const errors: string[] = [];
  for (const ing of all.filter((o) => o.kind === 'Ingress')) {
    const spec = obj(ing.spec);
    const backends = [
      obj(spec.defaultBackend),
      ...objects(spec.rules).flatMap((r) => objects(obj(r.http).paths).map((p) => obj(p.backend))),
    ].filter((b) => Object.keys(b).length > 0);
    for (const b of backends) {
      const service = obj(b.service);
      const svc = all.find((o) => o.kind === 'Service' && o.metadata.name === service.name && ns(o) === ns(ing));
      if (!svc) {
        errors.push(`${objectId(ing)}: backend Service "${String(service.name)}" does not exist`);
        continue;
      }
      const port = obj(service.port);
      const ok = objects(obj(svc.spec).ports).some((p) => (port.name !== undefined ? p.name === port.name : p.port === port.number));
      if (!ok) errors.push(`${objectId(ing)}: Service "${String(service.name)}" has no port ${String(port.name ?? port.number)}`);
    }
  }
  return errors;
}

/** ConfigMaps and Secrets used by pods exist (with the keys used), or are declared as created out of band. */
function checkConfigReferences(all: K8sObject[], options: PolicyOptions): string[] {
  const errors: string[] = [];
  const keysOf = (kind: 'ConfigMap' | 'Secret', name: string, namespace: string): Set<string> | undefined => {
    const found = all.find((o) => o.kind === kind && o.metadata.name === name && ns(o) === namespace);
    if (found) return new Set([...Object.keys(obj(found.data)), ...Object.keys(obj(found.stringData))]);
    const external = kind === 'Secret' ? options.externalSecrets?.[name] : undefined;
    return external ? new Set(external) : undefined;
  };
  for (const w of all.filter((o) => podSpecOf(o) !== undefined)) {
    const id = objectId(w);
    const pod = podSpecOf(w) ?? {};
    const need = (kind: 'ConfigMap' | 'Secret', ref: JsonObject, key?: Json): void => {
      if (ref.optional === true) return;
      const name = String(ref.name);
      const keys = keysOf(kind, name, ns(w));
      if (!keys) errors.push(`${id}: ${kind} "${name}" does not exist`);
      else if (key !== undefined && !keys.has(String(key))) errors.push(`${id}: ${kind} "${name}" has no key "${String(key)}"`);
    };
    for (const c of [...objects(pod.containers), ...objects(pod.initContainers)]) {
      for (const e of objects(c.envFrom)) {
        if (isObject(e.configMapRef)) need('ConfigMap', e.configMapRef);
        if (isObject(e.secretRef)) need('Secret', e.secretRef);
      }
      for (const e of objects(c.env)) {
        const from = obj(e.valueFrom);
        if (isObject(from.configMapKeyRef)) need('ConfigMap', from.configMapKeyRef, from.configMapKeyRef.key);
        if (isObject(from.secretKeyRef)) need('Secret', from.secretKeyRef, from.secretKeyRef.key);
      }
    }
    for (const v of objects(pod.volumes)) {
      if (isObject(v.configMap)) need('ConfigMap', v.configMap);
      if (isObject(v.secret)) need('Secret', { name: v.secret.secretName ?? null, optional: v.secret.optional ?? null });
    }
  }
  return errors;
}

/** A namespace that runs workloads denies all ingress and egress by default. */
function checkDefaultDeny(all: K8sObject[]): string[] {
  const errors: string[] = [];
  const namespaces = new Set(all.filter((o) => WORKLOAD_KINDS.has(o.kind)).map(ns));
  for (const n of namespaces) {
    const denies = all.some((o) => {
      if (o.kind !== 'NetworkPolicy' || ns(o) !== n) return false;
      const spec = obj(o.spec);
      const types = list(spec.policyTypes);
      return (
        isEmptySelector(spec.podSelector) &&
        types.includes('Ingress') &&
        types.includes('Egress') &&
        list(spec.ingress).length === 0 &&
        list(spec.egress).length === 0
      );
    });
    if (!denies) errors.push(`namespace "${n || '(none)'}": no default-deny NetworkPolicy for Ingress and Egress`);
  }
  return errors;
}

export function checkPolicy(all: K8sObject[], options: PolicyOptions = {}): string[] {
  return [
    ...checkWorkloads(all),
    ...checkDisruptionBudgets(all),
    ...checkAutoscalers(all),
    ...checkServices(all),
    ...checkIngresses(all),
    ...checkConfigReferences(all, options),
    ...checkDefaultDeny(all),
  ];
}
