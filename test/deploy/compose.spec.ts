// docker-compose.yml, its nginx proxy, the Dockerfile and .env.example, validated without a Docker engine:
// `tools/validate-compose.sh` (docker compose / docker-compose `config -q`) plus structural checks of what Parley needs.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse } from 'yaml';
import { isObject, type Json, type JsonObject, repoPath } from './support/kustomize';
import { CONFIG_NAMES, CONFIG_VARS, CREDENTIAL_FORMATS, DEFAULT_PORTS, SERVICES, type ServiceName } from './support/config-reference';

const obj = (v: Json | undefined): JsonObject => (isObject(v) ? v : {});
const strings = (v: Json | undefined): string[] => (Array.isArray(v) ? v.map(String) : []);

function runValidateCompose(file: string) {
  return spawnSync('bash', [repoPath('tools/validate-compose.sh'), file], { encoding: 'utf8', timeout: 280_000 });
}

const compose = parse(readFileSync(repoPath('docker-compose.yml'), 'utf8'), { merge: true }) as JsonObject;
const services = obj(compose.services);

/** Compose service names of each Parley app (replicas are separate services). */
const REPLICAS: Record<ServiceName, string[]> = {
  'api-gateway': ['api-gateway'],
  'realtime-gateway': ['realtime-gateway-1', 'realtime-gateway-2'],
  'message-service': ['message-service-1', 'message-service-2'],
  'presence-service': ['presence-service'],
};

/** Seconds of a Compose duration such as "30s", "1m30s". */
function seconds(duration: Json | undefined): number {
  let total = 0;
  for (const [, n, unit] of String(duration).matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    total += Number(n) * { ms: 0.001, s: 1, m: 60, h: 3600 }[unit as 'ms' | 's' | 'm' | 'h'];
  }
  return total;
}

/** Runs a healthcheck script (`node -e`) against a local server answering /health/ready with `status`. */
async function runHealthcheck(script: string, status: number): Promise<number | null> {
  const server = createServer((req, res) => {
    res.statusCode = req.url === '/health/ready' ? status : 404;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const port = (server.address() as AddressInfo).port;
    const child = spawn(process.execPath, ['-e', script], { env: { PATH: process.env.PATH ?? '', PORT: String(port) } });
    return await new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('tools/validate-compose.sh', () => {
  it('accepts docker-compose.yml', () => {
    const run = runValidateCompose(repoPath('docker-compose.yml'));
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: expect.any(String) });
    expect(run.stdout).toContain('OK');
  }, 300_000);

  it('rejects a broken compose file', () => {
    const run = runValidateCompose(repoPath('test/deploy/fixtures/broken/compose/docker-compose.yml'));
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/healtcheck|nats/);
    expect(run.stderr).toContain('INVALID');
  }, 300_000);
});

describe('docker-compose.yml', () => {
  it('runs the whole stack: Postgres 16, Redis 7, NATS 2 with JetStream, the four apps, 2+2 replicas and nginx', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['nginx', 'postgres', 'redis', 'nats', ...SERVICES.flatMap((s) => REPLICAS[s])].sort(),
    );
    expect(services.postgres).toMatchObject({ image: 'postgres:16' });
    expect(String(obj(services.redis).image)).toMatch(/^redis:7/);
    expect(String(obj(services.nats).image)).toMatch(/^nats:2/);
    expect(strings(obj(services.nats).command)).toContain('-js');
  });

  it('keeps no Redis data; Postgres and NATS use named volumes', () => {
    const redis = obj(services.redis);
    expect(strings(redis.command)).toEqual(['redis-server', '--save', '', '--appendonly', 'no']);
    expect(redis.volumes).toBeUndefined();
    const declared = Object.keys(obj(compose.volumes));
    for (const name of ['postgres', 'nats']) {
      const mounts = strings(obj(services[name]).volumes);
      expect(mounts).toHaveLength(1);
      expect(declared).toContain(mounts[0].split(':')[0]);
    }
  });

  it('has a healthcheck on every service, and every dependency waits for service_healthy', () => {
    for (const [name, svc] of Object.entries(services)) {
      const hc = obj(obj(svc).healthcheck);
      expect([name, strings(hc.test).length > 0]).toEqual([name, true]);
      for (const [dep, cond] of Object.entries(obj(obj(svc).depends_on))) {
        expect([name, dep, obj(cond).condition]).toEqual([name, dep, 'service_healthy']);
        expect(services[dep]).toBeDefined();
      }
    }
  });

  it('publishes one port only: nginx', () => {
    const publishing = Object.entries(services).filter(([, s]) => obj(s).ports !== undefined).map(([n]) => n);
    expect(publishing).toEqual(['nginx']);
    expect(strings(obj(services.nginx).ports)).toEqual(['${PARLEY_HTTP_PORT:-8080}:8080']);
  });

  describe.each(SERVICES)('%s', (app) => {
    it.each(REPLICAS[app])('%s: builds APP, listens on its PORT, checks /health/ready, stops gracefully', (name) => {
      const svc = obj(services[name]);
      expect(obj(obj(svc.build).args).APP).toBe(app);
      expect(svc.image).toBe(`parley/${app}:\${PARLEY_TAG:-dev}`);
      const env = obj(svc.environment);
      expect(env.PORT).toBe(String(DEFAULT_PORTS[app]));
      expect(strings(obj(svc.healthcheck).test).join(' ')).toContain('/health/ready');
      const shutdown = Number(String(env.SHUTDOWN_TIMEOUT_MS).replace(/^\$\{SHUTDOWN_TIMEOUT_MS:-(\d+)\}$/, '$1')) / 1000;
      expect(seconds(svc.stop_grace_period)).toBeGreaterThan(shutdown);
      expect(svc).toMatchObject({ read_only: true, tmpfs: ['/tmp'], cap_drop: ['ALL'], init: true });
    });

    it('receives only known configuration variables, and all those it reads', () => {
      for (const name of REPLICAS[app]) {
        const env = Object.keys(obj(obj(services[name]).environment));
        expect(env.filter((k) => !CONFIG_NAMES.has(k))).toEqual([]);
        const missing = CONFIG_VARS.filter((v) => v.readBy.includes(app) && !v.optional && v.name !== 'NODE_ENV' && !env.includes(v.name));
        expect(missing.map((v) => v.name)).toEqual([]);
      }
    });
  });

  it('app healthcheck script exits 0 when /health/ready answers 200 and 1 otherwise', async () => {
    const [, , flag, script] = strings(obj(obj(services['api-gateway']).healthcheck).test);
    expect(flag).toBe('-e');
    expect(await runHealthcheck(script, 200)).toBe(0);
    expect(await runHealthcheck(script, 503)).toBe(1);
  });

  it('mounts the nginx config that proxies websockets to both realtime gateways', () => {
    const nginx = obj(services.nginx);
    const mount = strings(nginx.volumes).find((v) => v.endsWith(':/etc/nginx/nginx.conf:ro'));
    expect(mount).toBe('./deploy/nginx/nginx.conf:/etc/nginx/nginx.conf:ro');
    expect(existsSync(repoPath('deploy/nginx/nginx.conf'))).toBe(true);
    for (const dep of ['api-gateway', 'realtime-gateway-1', 'realtime-gateway-2']) expect(obj(nginx.depends_on)[dep]).toBeDefined();
  });
});

describe('deploy/nginx/nginx.conf', () => {
  const conf = readFileSync(repoPath('deploy/nginx/nginx.conf'), 'utf8').replace(/#.*$/gm, '');
  const block = (head: string): string => {
    const start = conf.indexOf(head);
    if (start < 0) throw new Error(`no "${head}" block`);
    let depth = 0;
    for (let i = conf.indexOf('{', start); i < conf.length; i++) {
      if (conf[i] === '{') depth++;
      if (conf[i] === '}' && --depth === 0) return conf.slice(start, i + 1);
    }
    throw new Error(`unbalanced "${head}" block`);
  };

  it('balances braces', () => {
    expect((conf.match(/{/g) ?? []).length).toBe((conf.match(/}/g) ?? []).length);
  });

  it('listens on 8080 and serves a health endpoint', () => {
    expect(conf).toMatch(/listen 8080;/);
    expect(block('location = /nginx-health')).toContain('return 200');
  });

  it('sends /socket.io/ to both realtime gateways with upgrade headers and long timeouts', () => {
    const upstream = block('upstream realtime_gateway');
    expect(upstream).toContain('server realtime-gateway-1:3001;');
    expect(upstream).toContain('server realtime-gateway-2:3001;');
    expect(upstream).not.toMatch(/ip_hash|sticky|hash /);
    const ws = block('location /socket.io/');
    expect(ws).toContain('proxy_pass http://realtime_gateway;');
    expect(ws).toContain('proxy_http_version 1.1;');
    expect(ws).toContain('proxy_set_header Upgrade $http_upgrade;');
    expect(ws).toContain('proxy_set_header Connection $connection_upgrade;');
    expect(ws).toMatch(/proxy_read_timeout 3600s;/);
    expect(ws).toMatch(/proxy_send_timeout 3600s;/);
    expect(block('map $http_upgrade $connection_upgrade')).toMatch(/default\s+upgrade;/);
  });

  it('sends everything else to api-gateway, with forwarding headers in every location', () => {
    expect(block('upstream api_gateway')).toContain('server api-gateway:3000;');
    const rest = block('location / ');
    expect(rest).toContain('proxy_pass http://api_gateway;');
    for (const loc of [rest, block('location /socket.io/')]) {
      expect(loc).toContain('proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;');
      expect(loc).toContain('proxy_set_header Host $host;');
    }
  });
});

describe('Dockerfile', () => {
  const lines = readFileSync(repoPath('Dockerfile'), 'utf8')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const stages = lines.filter((l) => l.startsWith('FROM '));
  const runtime = lines.slice(lines.lastIndexOf(stages[stages.length - 1]));

  it('builds in stages from node:20-bookworm-slim', () => {
    expect(lines).toContain('ARG NODE_IMAGE=node:20-bookworm-slim');
    expect(stages.map((s) => s.split(' AS ')[1])).toEqual(['deps', 'build', 'prod-deps', 'runtime']);
    expect(lines).toContain('RUN npm install --no-audit --no-fund');
    expect(lines).toContain('RUN npm run build');
    expect(lines.some((l) => l.startsWith('RUN npm install --omit=dev'))).toBe(true);
    expect(lines.some((l) => /npm ci\b/.test(l))).toBe(false);
  });

  it('runtime stage: production env, non-root numeric user, healthcheck with node, one CMD for any APP', () => {
    expect(runtime).toContain('ARG APP=api-gateway');
    expect(runtime.some((l) => /^ENV NODE_ENV=production\b/.test(l))).toBe(true);
    const user = runtime.find((l) => l.startsWith('USER '));
    expect(user).toMatch(/^USER [1-9]\d*(:\d+)?$/);
    expect(runtime.some((l) => l.startsWith('EXPOSE '))).toBe(true);
    const healthcheck = runtime.find((l) => l.startsWith('HEALTHCHECK '));
    for (const app of SERVICES) expect(healthcheck).toContain(`'${app}':${DEFAULT_PORTS[app]}`);
    // Exec form must be valid JSON, or Docker silently runs it through a shell instead.
    expect(JSON.parse(String(healthcheck?.replace(/^HEALTHCHECK .*?CMD /, '')))).toEqual(['node', '-e', expect.stringContaining('/health/ready')]);
    const cmd = runtime[runtime.length - 1];
    expect(cmd.startsWith('CMD ')).toBe(true);
    expect(JSON.parse(cmd.slice(4))).toEqual(['/bin/sh', '-c', 'exec node dist/apps/${APP}/main.js']);
    expect(runtime.some((l) => l.startsWith('COPY --from=build /app/dist'))).toBe(true);
  });

  it('healthcheck script exits 0 when /health/ready answers 200 and 1 otherwise', async () => {
    const healthcheck = String(runtime.find((l) => l.startsWith('HEALTHCHECK ')));
    const [, , script] = JSON.parse(healthcheck.replace(/^HEALTHCHECK .*?CMD /, '')) as string[];
    expect(await runHealthcheck(script, 200)).toBe(0);
    expect(await runHealthcheck(script, 500)).toBe(1);
  });

  it('keeps node_modules, dist and secrets out of the build context', () => {
    const ignore = readFileSync(repoPath('.dockerignore'), 'utf8').split('\n').map((l) => l.trim());
    for (const entry of ['node_modules', 'dist', '.git', '.env', '!.env.example']) expect(ignore).toContain(entry);
  });
});

describe('.env.example', () => {
  const text = readFileSync(repoPath('.env.example'), 'utf8');
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^#?\s*([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (m) values.set(m[1], m[2]);
  }

  it('names every configuration variable, and nothing else', () => {
    expect([...CONFIG_NAMES].filter((n) => !values.has(n))).toEqual([]);
    expect([...values.keys()].filter((n) => !CONFIG_NAMES.has(n))).toEqual([]);
  });

  it('has well-formed dev credentials, marked dev only', () => {
    for (const [name, format] of Object.entries(CREDENTIAL_FORMATS)) {
      expect([name, format.test(values.get(name) ?? '')]).toEqual([name, true]);
    }
    expect(text).toMatch(/DEV ONLY/);
  });

  it('carries the documented dev defaults', () => {
    expect(Object.fromEntries([...values].filter(([k]) => !['PARLEY_ACCOUNT_SID', 'PARLEY_AUTH_TOKEN', 'PARLEY_SECRET_KEY'].includes(k)))).toEqual({
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      NODE_ID: '',
      PORT: '3000',
      NATS_URL: 'nats://127.0.0.1:4222',
      NATS_SUBJECT_PREFIX: '',
      SHUTDOWN_TIMEOUT_MS: '10000',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/parley',
      DATABASE_POOL_SIZE: '20',
      PARLEY_PUBLIC_URL: 'http://127.0.0.1:3000',
      REST_RATE_LIMIT_PER_SECOND: '30',
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_KEY_PREFIX: 'parley:',
      PRESENCE_NODE_TTL_MS: '10000',
    });
  });
});

describe('docs/deploying.md', () => {
  const doc = readFileSync(repoPath('docs/deploying.md'), 'utf8');

  it('documents every configuration variable in the reference table', () => {
    const rows = doc.split('\n').filter((l) => l.startsWith('| `'));
    const documented = new Set(rows.map((r) => /^\| `([A-Z0-9_]+)`/.exec(r)?.[1]));
    expect([...CONFIG_NAMES].filter((n) => !documented.has(n))).toEqual([]);
  });
});
