import { connect, createServer, type Server, type Socket } from 'node:net';

export interface TcpBalancer {
  port: number;
  url: string;
  /** Upstreams in rotation; edit to add or remove replicas. */
  upstreams: number[];
  close(): Promise<void>;
}

/**
 * A minimal TCP load balancer on loopback, standing in for the proxy in front of the realtime gateways
 * (nginx in docker-compose, the Ingress on Kubernetes): each new connection goes to the next upstream,
 * skipping upstreams that refuse it. Websockets need no stickiness, so this is all a client needs to
 * fail over to another replica.
 */
export async function startTcpBalancer(upstreams: number[]): Promise<TcpBalancer> {
  let next = 0;
  const open = new Set<Socket>();
  const server: Server = createServer((client) => {
    open.add(client);
    client.once('close', () => open.delete(client));
    client.pause();
    const tryUpstream = (attempt: number) => {
      if (attempt >= balancer.upstreams.length) {
        client.destroy();
        return;
      }
      const port = balancer.upstreams[next++ % balancer.upstreams.length] as number;
      const upstream = connect(port, '127.0.0.1');
      const refused = () => {
        upstream.destroy();
        tryUpstream(attempt + 1);
      };
      upstream.once('error', refused);
      upstream.once('connect', () => {
        upstream.off('error', refused);
        open.add(upstream);
        upstream.once('close', () => open.delete(upstream));
        client.pipe(upstream).pipe(client);
        client.on('error', () => upstream.destroy());
        upstream.on('error', () => client.destroy());
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
        client.resume();
      });
    };
    tryUpstream(0);
  });
  // A storm of reconnections arrives at once (see LISTEN_BACKLOG in libs/platform).
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', 4096, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const balancer: TcpBalancer = {
    port,
    url: `http://127.0.0.1:${port}`,
    upstreams: [...upstreams],
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
  return balancer;
}
