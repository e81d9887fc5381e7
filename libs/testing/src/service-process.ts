import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { waitFor } from './wait-for';

export type AppName = 'api-gateway' | 'realtime-gateway' | 'message-service' | 'presence-service';

const ROOT = resolve(__dirname, '../../..');
export const TEST_LOG_DIR = join(ROOT, 'tmp', 'test-logs');

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export interface ServiceProcess {
  app: AppName;
  port: number;
  url: string;
  logFile: string;
  child: ChildProcess;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts a built service (`dist/apps/<app>/main.js`) as a real process and waits until
 * `/health/ready` answers 200. Its output goes to tmp/test-logs/<app>-<port>.log.
 */
export async function startService(app: AppName, env: Record<string, string>, options: { readyTimeoutMs?: number } = {}): Promise<ServiceProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  mkdirSync(TEST_LOG_DIR, { recursive: true });
  const logFile = join(TEST_LOG_DIR, `${app}-${port}.log`);
  const log = createWriteStream(logFile);
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'apps', app, 'main.js')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'info', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  let exitCode: number | null | undefined;
  void exited.then((code) => {
    exitCode = code;
    log.end();
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => {
      if (exitCode !== undefined) throw new Error(`${app} exited with ${exitCode}; see ${logFile}`);
      const res = await fetch(`${url}/health/ready`);
      return res.status === 200;
    },
    { timeoutMs: options.readyTimeoutMs ?? 30_000, intervalMs: 100, description: `${app} readiness` },
  ).catch((err: Error) => {
    child.kill('SIGKILL');
    throw err;
  });
  return {
    app,
    port,
    url,
    logFile,
    child,
    exited,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (exitCode === undefined) child.kill(signal);
      return exited;
    },
  };
}
