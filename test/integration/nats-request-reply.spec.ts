import { Writable } from 'node:stream';
import pino from 'pino';
import { connect, JSONCodec, type Msg, type NatsConnection } from 'nats';
import { NatsTransport, withCorrelation } from '@parley/nats';
import { isolationPrefixes, NATS_URL } from '@parley/testing';

/*
 * NatsTransport.request against the machine's NATS, answered by a bare nats.js connection that the test steers (it
 * holds, reorders or never sends replies): each request gets its own reply whatever the order, a silent responder
 * is a timeout, a subject nobody serves is "unavailable", a reply after its timeout is dropped, closing fails what
 * is pending, and the reply inbox survives a reconnect.
 */
describe('NatsTransport requests', () => {
  const SUBJECT = 'presence.v1.cmd.node.heartbeat';
  const servers = NATS_URL;
  const codec = JSONCodec<unknown>();
  const errors: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        const entry = JSON.parse(line) as Record<string, unknown>;
        if ((entry.level as number) >= 50) errors.push(entry);
      }
      done();
    },
  });
  const logger = pino({ level: 'info' }, sink);
  const { natsSubjectPrefix } = isolationPrefixes('nats_request_reply');
  const client = new NatsTransport({ servers, subjectPrefix: natsSubjectPrefix, name: 'spec-client', logger });
  let responder: NatsConnection;
  /** What the responder does with each request; set by each test. */
  let onRequest: (msg: Msg) => void = () => undefined;
  const outcomes: string[] = [];

  const answer = (msg: Msg, ttlMs: number) => msg.respond(codec.encode({ ok: true, data: { resync: false, ttlMs } }));
  const connectionsOf = (msg: Msg) => (codec.decode(msg.data) as { connections: number }).connections;
  const unavailable = { status: 503, code: 20503, message: 'presence.v1.cmd.node is unavailable' };

  beforeAll(async () => {
    responder = await connect({ servers, name: 'spec-responder' });
    responder.subscribe(`${natsSubjectPrefix}.${SUBJECT}`, { callback: (_err, msg) => onRequest(msg) });
    await Promise.all([responder.flush(), client.connect()]);
    client.observeRequests((_subject, outcome) => outcomes.push(outcome));
  });

  beforeEach(() => {
    outcomes.length = 0;
    errors.length = 0;
  });

  afterAll(async () => {
    await Promise.all([client.drain(), responder.drain()]);
  });

  it('gives each of many concurrent requests its own reply when the replies come back in another order', async () => {
    const held: Msg[] = [];
    const seen: string[] = [];
    onRequest = (msg) => {
      seen.push(msg.headers?.get('x-correlation-id') ?? '');
      held.push(msg);
      if (held.length === 100) {
        // Replies in reverse and odd-then-even order, several socket writes apart.
        const order = held.reverse().filter((_, i) => i % 2 === 1).concat(held.filter((_, i) => i % 2 === 0));
        order.forEach((m, i) => (i % 10 === 0 ? setImmediate(() => answer(m, 1000 + connectionsOf(m))) : answer(m, 1000 + connectionsOf(m))));
      }
    };
    const replies = await Promise.all(
      Array.from({ length: 100 }, (_, i) => withCorrelation(`corr-${i}`, () => client.request(SUBJECT, { nodeId: `n${i}`, connections: i }))),
    );
    expect(replies.map((r) => r.ttlMs)).toEqual(Array.from({ length: 100 }, (_, i) => 1000 + i));
    expect(seen.sort()).toEqual(Array.from({ length: 100 }, (_, i) => `corr-${i}`).sort());
    expect(outcomes).toEqual(Array.from({ length: 100 }, () => 'ok'));
  });

  it('answers a request nobody replies to in time as unavailable, observed as a timeout', async () => {
    let received = 0;
    onRequest = () => received++;
    await expect(client.request(SUBJECT, { nodeId: 'silent', connections: 1 }, { timeoutMs: 150 })).rejects.toMatchObject(unavailable);
    expect(received).toBe(1);
    expect(outcomes).toEqual(['timeout']);
  });

  it('drops a reply that arrives after its request timed out, and the next request gets its own', async () => {
    let late: Msg | undefined;
    onRequest = (msg) => {
      if (connectionsOf(msg) === 1) late = msg;
      else answer(msg, 2000 + connectionsOf(msg));
    };
    await expect(client.request(SUBJECT, { nodeId: 'late', connections: 1 }, { timeoutMs: 150 })).rejects.toMatchObject(unavailable);
    answer(late!, 1001);
    // The late reply reaches the client before the pong of a ping that follows it.
    await responder.flush();
    await client.ping();
    await expect(client.request(SUBJECT, { nodeId: 'next', connections: 2 })).resolves.toEqual({ resync: false, ttlMs: 2002 });
    expect(outcomes).toEqual(['timeout', 'ok']);
    expect(errors).toEqual([]);
  });

  it('answers a request to a subject nobody serves as unavailable (the server says no responders), after retries', async () => {
    const lonely = new NatsTransport({ servers, subjectPrefix: isolationPrefixes('nats_nobody').natsSubjectPrefix, name: 'spec-lonely', logger });
    await lonely.connect();
    const seen: string[] = [];
    lonely.observeRequests((_subject, outcome) => seen.push(outcome));
    try {
      await expect(lonely.request(SUBJECT, { nodeId: 'nobody', connections: 1 }, { timeoutMs: 5000 })).rejects.toMatchObject(unavailable);
      expect(seen).toEqual(['unavailable']);
    } finally {
      await lonely.drain();
    }
  });

  it('answers a request the connection refuses to send (over the server\'s max payload) as unavailable', async () => {
    let received = 0;
    onRequest = () => received++;
    const nodeId = 'x'.repeat(2 * 1024 * 1024);
    await expect(client.request(SUBJECT, { nodeId, connections: 1 })).rejects.toMatchObject(unavailable);
    await client.ping();
    expect(received).toBe(0);
    expect(outcomes).toEqual(['unavailable']);
  });

  it('fails the requests still waiting when the connection closes, as timeouts', async () => {
    const closing = new NatsTransport({ servers, subjectPrefix: natsSubjectPrefix, name: 'spec-closing', logger });
    await closing.connect();
    const seen: string[] = [];
    closing.observeRequests((_subject, outcome) => seen.push(outcome));
    let arrived!: () => void;
    const received = new Promise<void>((resolve) => (arrived = resolve));
    onRequest = () => arrived();
    const pending = closing.request(SUBJECT, { nodeId: 'closing', connections: 1 }, { timeoutMs: 60_000 });
    await received;
    await closing.drain();
    await expect(pending).rejects.toMatchObject(unavailable);
    expect(seen).toEqual(['timeout']);
  });

  it('keeps its reply inbox across a reconnect: a reply to a request sent before it arrives, and new requests work', async () => {
    // The transport keeps its connection private; the test makes it drop the socket as a network failure would.
    const nc = (client as unknown as { nc: NatsConnection }).nc;
    let held: Msg | undefined;
    let arrived!: () => void;
    const received = new Promise<void>((resolve) => (arrived = resolve));
    onRequest = (msg) => {
      if (connectionsOf(msg) === 1) {
        held = msg;
        arrived();
      } else answer(msg, 1000 + connectionsOf(msg));
    };
    const before = client.request(SUBJECT, { nodeId: 'across', connections: 1 }, { timeoutMs: 60_000 });
    await received;

    const statuses = nc.status();
    const reconnected = (async () => {
      for await (const status of statuses) if (status.type === 'reconnect') return;
    })();
    await nc.reconnect();
    await reconnected;
    // A round trip after the reconnect: the server has the inbox subscription again.
    await client.ping();

    answer(held!, 1001);
    await expect(before).resolves.toEqual({ resync: false, ttlMs: 1001 });
    await expect(client.request(SUBJECT, { nodeId: 'after', connections: 2 })).resolves.toEqual({ resync: false, ttlMs: 1002 });
    expect(outcomes).toEqual(['ok', 'ok']);
  });
});
