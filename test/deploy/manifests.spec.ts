// The Kubernetes manifests in k8s/: rendered offline, validated against the Kubernetes schemas (strictly: unknown
// fields fail), checked against the deployment policy, and against what Parley's services need.
import { isDeepStrictEqual } from 'node:util';
import { readFileSync } from 'node:fs';
import {
  isObject,
  type Json,
  type JsonObject,
  type K8sObject,
  objectId,
  podSpecOf,
  renderKustomization,
  renderWithKubectl,
  repoPath,
} from './support/kustomize';
import { selectorMatches } from './support/policy';
import { CONFIG_NAMES, CONFIG_VARS, CREDENTIAL_FORMATS, DEFAULT_PORTS, SECRET_KEYS, SERVICES, type ServiceName } from './support/config-reference';
import { validateObjects } from './support/validate';

const OVERLAYS = {
  base: { dir: 'k8s/base', namespace: undefined as string | undefined, externalSecrets: {} },
  dev: { dir: 'k8s/overlays/dev', namespace: 'parley-dev', externalSecrets: {} },
  production: { dir: 'k8s/overlays/production', namespace: 'parley', externalSecrets: { 'parley-secrets': SECRET_KEYS } },
} as const;
type OverlayName = keyof typeof OVERLAYS;

const rendered = new Map<OverlayName, K8sObject[]>();
function render(name: OverlayName): K8sObject[] {
  let objects = rendered.get(name);
  if (!objects) {
    objects = renderKustomization(repoPath(OVERLAYS[name].dir));
    rendered.set(name, objects);
  }
  return objects;
}

const obj = (v: Json | undefined): JsonObject => (isObject(v) ? v : {});
const arr = (v: Json | undefined): JsonObject[] => (Array.isArray(v) ? v.filter(isObject) : []);

function find(objects: K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind}/${name}`);
  return found;
}

function container(objects: K8sObject[], app: string): JsonObject {
  const pod = podSpecOf(find(objects, 'Deployment', app)) ?? {};
  const c = arr(pod.containers).find((x) => x.name === app);
  if (!c) throw new Error(`Deployment/${app} has no container "${app}"`);
  return c;
}

/** Every variable a container receives, with its value where the manifests define one. */
function environmentOf(objects: K8sObject[], app: string): Map<string, string | undefined> {
  const env = new Map<string, string | undefined>();
  const c = container(objects, app);
  for (const from of arr(c.envFrom)) {
    const ref = obj(from.configMapRef);
    const cm = find(objects, 'ConfigMap', String(ref.name));
    for (const [k, v] of Object.entries(obj(cm.data))) env.set(k, String(v));
  }
  for (const e of arr(c.env)) env.set(String(e.name), typeof e.value === 'string' ? e.value : undefined);
  return env;
}

describe.each(Object.keys(OVERLAYS) as OverlayName[])('k8s %s', (name) => {
  const overlay = OVERLAYS[name];

  it('renders offline and validates: Kubernetes schemas (strict) and deployment policy', () => {
    const result = validateObjects(render(name), { externalSecrets: overlay.externalSecrets });
    expect(result.schemaErrors).toEqual([]);
    expect(result.policyErrors).toEqual([]);
    expect(result.objects.length).toBeGreaterThan(20);
  });

  const kubectl = renderWithKubectl(repoPath(overlay.dir));
  (kubectl ? it : it.skip)('offline rendering equals `kubectl kustomize`', () => {
    const byId = (objects: K8sObject[]) => new Map(objects.map((o) => [objectId(o), o]));
    const mine = byId(render(name));
    const theirs = byId(kubectl ?? []);
    expect([...mine.keys()].sort()).toEqual([...theirs.keys()].sort());
    for (const [id, o] of mine) {
      if (!isDeepStrictEqual(o, theirs.get(id))) expect({ id, object: o }).toEqual({ id, object: theirs.get(id) });
    }
  });

  it('puts every namespaced object in the overlay namespace', () => {
    for (const o of render(name)) {
      if (o.kind === 'Namespace') {
        expect(o.metadata.name).toBe(overlay.namespace);
        expect(obj(o.metadata.labels)['pod-security.kubernetes.io/enforce']).toBe('restricted');
      } else {
        expect([objectId(o), o.metadata.namespace]).toEqual([objectId(o), overlay.namespace]);
      }
    }
    if (overlay.namespace) expect(render(name).some((o) => o.kind === 'Namespace')).toBe(true);
  });

  describe.each(SERVICES)('%s', (app: ServiceName) => {
    it('listens on a container port named http that matches its PORT', () => {
      const ports = arr(container(render(name), app).ports);
      expect(ports).toEqual([{ name: 'http', containerPort: DEFAULT_PORTS[app], protocol: 'TCP' }]);
      expect(environmentOf(render(name), app).get('PORT')).toBe(String(DEFAULT_PORTS[app]));
    });

    it('probes /health/live (liveness, startup) and /health/ready (readiness) on port http', () => {
      const c = container(render(name), app);
      expect(obj(c.livenessProbe).httpGet).toEqual({ path: '/health/live', port: 'http' });
      expect(obj(c.startupProbe).httpGet).toEqual({ path: '/health/live', port: 'http' });
      expect(obj(c.readinessProbe).httpGet).toEqual({ path: '/health/ready', port: 'http' });
    });

    it('shuts down within the grace period: preStop sleep + SHUTDOWN_TIMEOUT_MS < terminationGracePeriodSeconds', () => {
      const objects = render(name);
      const pod = podSpecOf(find(objects, 'Deployment', app)) ?? {};
      const command = obj(obj(obj(container(objects, app).lifecycle).preStop).exec).command;
      expect(Array.isArray(command) && command[0]).toBe('sleep');
      const preStop = Number((command as Json[])[1]);
      const shutdown = Number(environmentOf(objects, app).get('SHUTDOWN_TIMEOUT_MS')) / 1000;
      expect(preStop).toBeGreaterThan(0);
      expect(shutdown).toBeGreaterThan(0);
      expect(pod.terminationGracePeriodSeconds).toBe(30);
      expect(preStop + shutdown).toBeLessThan(Number(pod.terminationGracePeriodSeconds));
    });

    it('runs as uid 10001 with a read-only root, a /tmp emptyDir and spread over nodes and zones', () => {
      const objects = render(name);
      const pod = podSpecOf(find(objects, 'Deployment', app)) ?? {};
      const c = container(objects, app);
      expect(obj(pod.securityContext)).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } });
      expect(obj(c.securityContext)).toMatchObject({
        runAsNonRoot: true,
        runAsUser: 10001,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      });
      const tmp = arr(c.volumeMounts).find((m) => m.mountPath === '/tmp');
      expect(tmp).toBeDefined();
      expect(arr(pod.volumes).find((v) => v.name === tmp?.name)?.emptyDir).toBeDefined();
      const keys = arr(pod.topologySpreadConstraints).map((t) => t.topologyKey);
      expect(keys).toEqual(['kubernetes.io/hostname', 'topology.kubernetes.io/zone']);
      expect(pod.automountServiceAccountToken).toBe(false);
    });

    it('receives only known configuration variables, and all those it reads', () => {
      const env = environmentOf(render(name), app);
      const unknown = [...env.keys()].filter((k) => !CONFIG_NAMES.has(k));
      expect(unknown).toEqual([]);
      const missing = CONFIG_VARS.filter((v) => v.readBy.includes(app) && !v.optional && !env.has(v.name)).map((v) => v.name);
      expect(missing).toEqual([]);
    });

    it('has a PodDisruptionBudget and, except presence-service, an autoscaling/v2 HPA', () => {
      const objects = render(name);
      const pdb = find(objects, 'PodDisruptionBudget', app);
      expect(selectorMatches(obj(pdb.spec).selector, obj(obj(obj(find(objects, 'Deployment', app).spec).template).metadata).labels as Record<string, string>)).toBe(true);
      const hpa = objects.find((o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata.name === app);
      if (app === 'presence-service') {
        expect(hpa).toBeUndefined();
        expect(obj(find(objects, 'Deployment', app).spec).replicas).toBeGreaterThanOrEqual(2);
      } else {
        expect(hpa?.apiVersion).toBe('autoscaling/v2');
        expect(obj(hpa?.spec).minReplicas).toBeGreaterThanOrEqual(2);
      }
    });

    it('has a Service on port http', () => {
      const svc = find(render(name), 'Service', app);
      expect(arr(obj(svc.spec).ports)).toEqual([{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }]);
    });
  });

  it('routes /socket.io to realtime-gateway and the rest to api-gateway, with websocket timeouts', () => {
    const ingress = find(render(name), 'Ingress', 'parley');
    const annotations = obj(ingress.metadata.annotations);
    expect(annotations['nginx.ingress.kubernetes.io/proxy-read-timeout']).toBe('3600');
    expect(annotations['nginx.ingress.kubernetes.io/proxy-send-timeout']).toBe('3600');
    const spec = obj(ingress.spec);
    expect(spec.ingressClassName).toBe('nginx');
    for (const rule of arr(spec.rules)) {
      const routes = arr(obj(rule.http).paths).map((p) => [p.path, p.pathType, obj(obj(p.backend).service).name]);
      expect(routes).toEqual([
        ['/socket.io', 'Prefix', 'realtime-gateway'],
        ['/', 'Prefix', 'api-gateway'],
      ]);
    }
  });

  it('denies all traffic by default and allows exactly what each service needs', () => {
    const policies = render(name).filter((o) => o.kind === 'NetworkPolicy');
    const byName = (n: string) => {
      const p = policies.find((x) => x.metadata.name === n);
      if (!p) throw new Error(`no NetworkPolicy ${n}`);
      return obj(p.spec);
    };
    expect(byName('default-deny-all')).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const dns = byName('allow-dns-egress');
    expect(arr(dns.egress)[0].ports).toEqual([
      { port: 53, protocol: 'UDP' },
      { port: 53, protocol: 'TCP' },
    ]);
    const metrics = byName('allow-metrics-from-monitoring');
    expect(arr(arr(metrics.ingress)[0].from)[0]).toEqual({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } });
    for (const app of SERVICES) {
      expect(selectorMatches(metrics.podSelector, obj(obj(obj(find(render(name), 'Deployment', app).spec).template).metadata).labels as Record<string, string>)).toBe(true);
    }

    const expected: Record<ServiceName, { from: string | undefined; egress: number[] }> = {
      'api-gateway': { from: 'ingress-nginx', egress: [4222] },
      'realtime-gateway': { from: 'ingress-nginx', egress: [4222, 6379] },
      'message-service': { from: undefined, egress: [4222, 5432] },
      'presence-service': { from: undefined, egress: [4222, 6379] },
    };
    for (const app of SERVICES) {
      const spec = byName(app);
      expect(spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': app } });
      expect(spec.policyTypes).toEqual(['Ingress', 'Egress']);
      const from = arr(spec.ingress).flatMap((r) => arr(r.from).map((f) => obj(obj(f.namespaceSelector).matchLabels)['kubernetes.io/metadata.name']));
      expect(from).toEqual(expected[app].from ? [expected[app].from] : []);
      const egress = arr(spec.egress).flatMap((r) => arr(r.ports).map((p) => p.port));
      expect(egress).toEqual(expected[app].egress);
    }
  });
});

describe('k8s dev overlay', () => {
  const objects = () => render('dev');

  it('runs Postgres, Redis and NATS (JetStream) in-cluster as StatefulSets with Services', () => {
    for (const dep of ['postgres', 'redis', 'nats']) {
      const sts = find(objects(), 'StatefulSet', dep);
      expect(find(objects(), 'Service', dep)).toBeDefined();
      expect(find(objects(), 'Service', String(obj(sts.spec).serviceName))).toBeDefined();
    }
    const nats = arr((podSpecOf(find(objects(), 'StatefulSet', 'nats')) ?? {}).containers)[0];
    expect(nats.args).toEqual(expect.arrayContaining(['-js']));
    const common = obj(find(objects(), 'ConfigMap', 'parley-common').data);
    expect(common.NATS_URL).toBe('nats://nats:4222');
    expect(common.REDIS_URL).toBe('redis://redis:6379');
  });

  it('lets only the right services reach each dependency', () => {
    const policies = objects().filter((o) => o.kind === 'NetworkPolicy');
    const podLabels = (kind: string, n: string) =>
      obj(obj(obj(find(objects(), kind, n).spec).template).metadata).labels as Record<string, string>;
    const allowed = (dep: string, client: string, port: string) =>
      policies.some((p) => {
        const spec = obj(p.spec);
        if (!selectorMatches(spec.podSelector, podLabels('StatefulSet', dep))) return false;
        return arr(spec.ingress).some(
          (r) =>
            arr(r.ports).some((x) => x.port === port) &&
            arr(r.from).some((f) => !f.namespaceSelector && isObject(f.podSelector) && selectorMatches(f.podSelector, podLabels('Deployment', client))),
        );
      });
    const clients: Record<string, [string, ServiceName[]]> = {
      nats: ['client', [...SERVICES]],
      redis: ['redis', ['realtime-gateway', 'presence-service']],
      postgres: ['postgres', ['message-service']],
    };
    for (const [dep, [port, who]] of Object.entries(clients)) {
      for (const app of SERVICES) expect([dep, app, allowed(dep, app, port)]).toEqual([dep, app, who.includes(app)]);
    }
  });

  it('fills parley-secrets with the dev values of .env.example', () => {
    const secret = obj(find(objects(), 'Secret', 'parley-secrets').stringData);
    expect(Object.keys(secret).sort()).toEqual([...SECRET_KEYS].sort());
    for (const [k, format] of Object.entries(CREDENTIAL_FORMATS)) expect([k, format.test(String(secret[k]))]).toEqual([k, true]);
    const envExample = readFileSync(repoPath('.env.example'), 'utf8');
    for (const k of ['PARLEY_ACCOUNT_SID', 'PARLEY_AUTH_TOKEN', 'PARLEY_SECRET_KEY']) {
      expect(envExample).toContain(`${k}=${String(secret[k])}\n`);
    }
    expect(String(secret.DATABASE_URL)).toContain('@postgres:5432/parley');
  });

  it('uses the locally built images', () => {
    for (const app of SERVICES) expect(container(objects(), app).image).toBe(`parley/${app}:dev`);
  });
});

describe('k8s production overlay', () => {
  const objects = () => render('production');

  it('ships no Secret: parley-secrets is created out of band', () => {
    expect(objects().filter((o) => o.kind === 'Secret')).toEqual([]);
  });

  it('points at managed services, not in-cluster ones', () => {
    const common = obj(find(objects(), 'ConfigMap', 'parley-common').data);
    expect(String(common.NATS_URL)).not.toMatch(/\/\/nats:/);
    expect(String(common.REDIS_URL)).not.toMatch(/\/\/redis:/);
    for (const dep of ['postgres', 'redis', 'nats']) {
      expect(objects().some((o) => o.metadata.name === dep)).toBe(false);
    }
    expect(String(obj(find(objects(), 'ConfigMap', 'api-gateway-config').data).PARLEY_PUBLIC_URL)).toMatch(/^https:\/\//);
  });

  it('runs more replicas than dev', () => {
    for (const app of ['api-gateway', 'realtime-gateway', 'message-service']) {
      const prod = obj(find(objects(), 'HorizontalPodAutoscaler', app).spec);
      const dev = obj(find(render('dev'), 'HorizontalPodAutoscaler', app).spec);
      expect(Number(prod.minReplicas)).toBeGreaterThan(Number(dev.minReplicas));
      expect(Number(prod.maxReplicas)).toBeGreaterThan(Number(dev.maxReplicas));
    }
    const replicas = (o: K8sObject[]) => Number(obj(find(o, 'Deployment', 'presence-service').spec).replicas);
    expect(replicas(objects())).toBeGreaterThan(replicas(render('dev')));
  });

  it('serves TLS and pulls pinned images from a registry', () => {
    expect(arr(obj(find(objects(), 'Ingress', 'parley').spec).tls)).toHaveLength(1);
    for (const app of SERVICES) expect(container(objects(), app).image).toMatch(new RegExp(`^[a-z0-9.-]+/parley/${app}:\\d+\\.\\d+\\.\\d+$`));
  });
});
