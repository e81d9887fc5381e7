import { fork } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './common.mjs';

/** Starts bench/lib/balancer-process.mjs in front of `upstreams` (ports). */
export async function startBalancer(upstreams) {
  const child = fork(join(ROOT, 'bench', 'lib', 'balancer-process.mjs'), [], { cwd: ROOT, env: { ...process.env, UPSTREAMS: JSON.stringify(upstreams) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise((resolve, reject) => {
    child.once('message', (m) => resolve(m.port));
    child.once('exit', (code) => reject(new Error(`balancer exited with ${code}`)));
  });
  return {
    port,
    pid: child.pid,
    url: `http://127.0.0.1:${port}`,
    setUpstreams: (ports) =>
      new Promise((resolve) => {
        child.once('message', resolve);
        child.send({ upstreams: ports });
      }),
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', resolve);
        child.disconnect();
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}
