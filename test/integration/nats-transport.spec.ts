import { Writable } from 'node:stream';
import pino from 'pino';
import { storage } from 'nestjs-pino/storage';
import { NatsTransport, withCorrelation } from '@parley/nats';
import { isolationPrefixes, NATS_URL } from '@parley/testing';

/*
 * NatsTransport against the machine's NATS: the logger a command handler finds (nestjs-pino's store) carries the
 * request's correlation id and subject, and the many replies of one event-loop turn all arrive (they leave together,
 * one socket write per turn).
 */
describe('NatsTransport', () => {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const { natsSubjectPrefix } = isolationPrefixes('nats_transport');
  const logger = pino({ level: 'info' }, sink);
  const server = new NatsTransport({ servers: NATS_URL, subjectPrefix: natsSubjectPrefix, name: 'spec-server', logger });
  const client = new NatsTransport({ servers: NATS_URL, subjectPrefix: natsSubjectPrefix, name: 'spec-client', logger });

  beforeAll(async () => {
    await Promise.all([server.connect(), client.connect()]);
    server.serve('presence.v1.cmd.node.heartbeat', 'spec', async ({ nodeId, connections }) => {
      if (connections === 1) storage.getStore()?.logger.info({ nodeId }, 'handler says hello');
      return { resync: false, ttlMs: 1000 + (connections ?? 0) };
    });
    await server.ping();
  });

  afterAll(async () => {
    await Promise.all([client.drain(), server.drain()]);
  });

  it("gives a handler's log lines the request's correlation id and subject", async () => {
    const reply = await withCorrelation('corr-123', () => client.request('presence.v1.cmd.node.heartbeat', { nodeId: 'n1', connections: 1 }));
    expect(reply).toEqual({ resync: false, ttlMs: 1001 });
    const said = lines.filter((l) => l.msg === 'handler says hello');
    expect(said).toEqual([expect.objectContaining({ nodeId: 'n1', correlationId: 'corr-123', subject: 'presence.v1.cmd.node.heartbeat' })]);
  });

  it('answers every request of one turn, each its own reply', async () => {
    const replies = await Promise.all(
      Array.from({ length: 200 }, (_, i) => client.request('presence.v1.cmd.node.heartbeat', { nodeId: `n${i}`, connections: i + 2 })),
    );
    expect(replies.map((r) => r.ttlMs)).toEqual(Array.from({ length: 200 }, (_, i) => 1000 + i + 2));
  });
});
