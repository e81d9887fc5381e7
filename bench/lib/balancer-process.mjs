// libs/testing's startTcpBalancer (the stand-in for nginx / the Ingress in front of the realtime gateways) in a
// process of its own: 5,000 clients mean 10,000 sockets, kept out of the orchestrator's fd budget and event loop.
// IPC: { upstreams: [port…] } sets the rotation; it answers { port } once listening and { ok } after each change.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT } from './common.mjs';

const require = createRequire(import.meta.url);
const { startTcpBalancer } = require(join(ROOT, 'dist', 'libs', 'testing', 'tcp-balancer.js'));

const balancer = await startTcpBalancer(JSON.parse(process.env.UPSTREAMS ?? '[]'));
process.on('message', (msg) => {
  if (Array.isArray(msg.upstreams)) balancer.upstreams = msg.upstreams;
  process.send({ ok: true });
});
process.on('disconnect', () => void balancer.close().then(() => process.exit(0)));
process.send({ port: balancer.port });
