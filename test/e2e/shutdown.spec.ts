import { Client, type Message } from '@parley/client';
import { chatFixture, startStack, startTcpBalancer, waitFor, type ChatFixture, type Stack, type TcpBalancer } from '@parley/testing';
import { Client as PgClient } from 'pg';

/**
 * Graceful shutdown under traffic (DESIGN.md §9): a replica that gets SIGTERM stops taking work, finishes
 * what it accepted and exits 0 — no acknowledged message is lost, and sockets are told to reconnect.
 */
describe('graceful shutdown during traffic', () => {
  let stack: Stack;
  let chat: ChatFixture;
  let balancer: TcpBalancer | undefined;

  beforeAll(async () => {
    stack = await startStack({ label: 'shutdown', apps: ['message-service', 'api-gateway', 'realtime-gateway'] });
    await stack.add('message-service');
    chat = await chatFixture(stack);
  });

  afterAll(async () => {
    await balancer?.close();
    await stack?.stop();
  });

  it('SIGTERM of a message-service replica loses no acknowledged message', async () => {
    const channel = await chat.rest.chat.v2.services(chat.serviceSid).channels.create({ friendlyName: 'busy' });
    const messages = chat.rest.chat.v2.services(chat.serviceSid).channels(channel.sid).messages;
    const acked: string[] = [];
    let failed = 0;
    let running = true;
    const worker = async (w: number) => {
      for (let i = 0; running && i < 2_000; i++) {
        try {
          acked.push((await messages.create({ body: `w${w}-${i}` })).sid);
        } catch {
          failed++; // not acknowledged: its outcome is unknown to the client, so it is not counted
        }
      }
    };
    const workers = [0, 1, 2, 3, 4].map(worker);
    await waitFor(() => acked.length >= 100, { description: 'traffic to flow' });

    const victim = stack.processes.filter((p) => p.app === 'message-service')[0]!;
    const exitCode = await victim.stop('SIGTERM');
    const atStop = acked.length;
    await waitFor(() => acked.length >= atStop + 100, { timeoutMs: 20_000, description: 'traffic to continue on the other replica' });
    running = false;
    await Promise.all(workers);

    expect(exitCode).toBe(0);
    const db = new PgClient({ connectionString: stack.database.url });
    await db.connect();
    try {
      const { rows } = await db.query<{ sid: string }>('SELECT sid FROM messages WHERE channel_sid = $1', [channel.sid]);
      const stored = new Set(rows.map((r) => r.sid));
      expect(acked.filter((sid) => !stored.has(sid))).toEqual([]);
      expect(new Set(acked).size).toBe(acked.length);
    } finally {
      await db.end();
    }
    // Requests in flight when the replica stopped were answered by it or by the other replica, not dropped.
    expect(failed).toBe(0);
  });

  it('SIGTERM of a realtime gateway tells its sockets to reconnect, and they carry on elsewhere', async () => {
    const survivor = stack.get('realtime-gateway');
    const leaving = await stack.add('realtime-gateway');
    balancer = await startTcpBalancer([leaving.port]);
    await chat.rest.chat.v2.services(chat.serviceSid).channels.create({ friendlyName: 'moving', uniqueName: 'moving' });
    await chat.rest.chat.v2.services(chat.serviceSid).channels('moving').members.create({ identity: 'olga' });
    const olga = await Client.create(chat.token('olga'), { url: balancer.url });
    try {
      const states: string[] = [];
      olga.on('connectionStateChanged', (state) => states.push(state));
      const seen: string[] = [];
      olga.on('messageAdded', (m: Message) => seen.push(m.body ?? ''));

      balancer.upstreams = [survivor.port];
      expect(await leaving.stop('SIGTERM')).toBe(0);
      await waitFor(() => states.includes('connected'), { timeoutMs: 15_000, description: 'reconnection to the other gateway' });
      await chat.rest.chat.v2.services(chat.serviceSid).channels('moving').messages.create({ body: 'after the move' });
      await waitFor(() => seen.includes('after the move'), { description: 'delivery after reconnecting' });
      expect(states[0]).not.toBe('denied');
    } finally {
      await olga.shutdown();
    }
  });
});
