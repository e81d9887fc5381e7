// Starts the baseline pair (bench/lib/baseline-server.mjs ×N) as processes.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { clearRedisPrefix } from './parley.mjs';
import { LOG_DIR, REDIS_URL, ROOT, freePort, nodeFlags, processHandle, progress, trackExit } from './common.mjs';

async function startServer(channelPrefix, { inspect = false } = {}) {
  const port = await freePort();
  const inspectPort = inspect ? await freePort() : undefined;
  mkdirSync(LOG_DIR, { recursive: true });
  const logFile = join(LOG_DIR, `baseline-${port}.log`);
  const fd = openSync(logFile, 'w');
  const child = fork(join(ROOT, 'bench', 'lib', 'baseline-server.mjs'), [], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', PORT: String(port), REDIS_URL, CHANNEL_PREFIX: channelPrefix },
    execArgv: nodeFlags(`baseline-${port}`, inspectPort),
    stdio: ['ignore', fd, fd, 'ipc'],
  });
  closeSync(fd);
  const exit = trackExit(child);
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`baseline server not ready; see ${logFile}`)), 20_000);
    child.once('message', () => {
      clearTimeout(timer);
      resolve();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`baseline server exited with ${code}; see ${logFile}`));
    });
  });
  child.disconnect();
  return processHandle({ app: 'baseline', port, child, logFile, inspectPort, exit, graceMs: 5_000 });

}

export async function startBaseline({ servers = 2, inspectFirst = false } = {}) {
  const prefix = `bench_${randomBytes(4).toString('hex')}_baseline:`;
  const gateways = await Promise.all(Array.from({ length: servers }, (_, i) => startServer(prefix, { inspect: inspectFirst && i === 0 })));
  progress(`  baseline up: bare socket.io ×${servers} (sharded redis adapter, prefix ${prefix})`);
  return {
    gateways,
    processes: gateways,
    pids: () => gateways.filter((g) => g.alive).map((g) => g.pid),
    async stop() {
      await Promise.all(gateways.map((g) => g.stop().catch(() => undefined)));
      await clearRedisPrefix(prefix);
    },
  };
}
