import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { startMessageService, type MessageService } from './harness';

/*
 * The send's statements are prepared once per pool connection and must keep a GENERIC plan: a statement Postgres
 * plans anew on every call (a "custom" plan) costs about twice the backend CPU of the send itself. Postgres settles
 * on the generic plan after five custom ones when it costs no more, which depends on how the statement passes its
 * values (docs/benchmarks.md). One pool connection, so the session's pg_prepared_statements is the one that ran them.
 */
describe('message-service: the send statements keep their generic plans', () => {
  let ms: MessageService;

  beforeAll(async () => {
    ms = await startMessageService('send_plans', { poolSize: 1 });
  });

  afterAll(async () => {
    await ms?.stop();
  });

  it('for lone sends and for batches, checked (SDK) and unchecked (REST), and for the refused ones\' batched checks', async () => {
    const service = await ms.send('chat.v1.cmd.service.create', { caller: ms.system(), params: { FriendlyName: 'plans' } });
    const channel = await ms.send('chat.v1.cmd.channel.create', { caller: ms.system(), params: { ServiceSid: service.sid, FriendlyName: 'room' } });
    const members = ['ann', 'bob', 'cy'];
    for (const identity of members) {
      await ms.send('chat.v1.cmd.member.create', { caller: ms.system(), params: { ServiceSid: service.sid, ChannelSid: channel.sid, Identity: identity } });
    }
    const sendAs = (identity: string | null, body: string) =>
      ms.send('chat.v1.cmd.message.create', {
        caller: identity === null ? ms.system() : ms.sdkUser(service.sid, identity),
        params: { ServiceSid: service.sid, ChannelSid: channel.sid, Body: body, ...(identity !== null && { From: identity }) },
      });
    const rounds = 12;
    for (let i = 0; i < rounds; i++) await sendAs(members[i % 3] as string, `alone ${i}`);
    // Sends that arrive together are written as one batch (persistence/keyed-batcher.ts).
    for (let i = 0; i < rounds; i++) await Promise.all([...members, null].map((who) => sendAs(who, `together ${i}`)));
    // Refused sends together: the statement keeps none, and their full checks go as one read (channel-access.ts).
    for (let i = 0; i < rounds; i++) {
      const refused = await Promise.allSettled(['x1', 'x2', 'x3'].map((who) => sendAs(who, `refused ${i}`)));
      expect(refused.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    }

    const statements = (await ms.app.get(DataSource).query(
      `SELECT name, generic_plans::int AS generic, custom_plans::int AS custom FROM pg_prepared_statements
        WHERE name LIKE 'parley_message_%' OR name LIKE 'parley_channel_access_many_%' ORDER BY name`,
    )) as { name: string; generic: number; custom: number }[];
    const byPurpose = Object.fromEntries(statements.map((s) => [s.name.replace(/_[0-9a-f]{12}$/, ''), s]));
    const lone = byPurpose['parley_message_send_sid'];
    const batch = byPurpose['parley_message_batch_sid'];
    expect(lone).toBeDefined();
    expect(batch).toBeDefined();
    expect(lone?.custom).toBeLessThanOrEqual(5);
    expect(lone?.generic).toBeGreaterThan(0);
    expect(batch?.custom).toBeLessThanOrEqual(5);
    expect(batch?.generic).toBeGreaterThan(0);
    const readMany = byPurpose['parley_channel_access_many_sid'];
    expect(readMany?.custom).toBeLessThanOrEqual(5);
    expect(readMany?.generic).toBeGreaterThan(0);

    const { rows } = await ms.pg.query<{ n: number; next: number }>(
      'SELECT (SELECT count(*)::int FROM messages WHERE channel_sid = $1) AS n, next_message_index AS next FROM channels WHERE sid = $1',
      [channel.sid],
    );
    expect(rows[0]).toEqual({ n: rounds * 5, next: rounds * 5 });
  });
});
