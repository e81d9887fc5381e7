import 'reflect-metadata';
import { Client } from 'pg';
import { newSid, type Caller } from '@parley/contracts';
import { waitFor } from '@parley/testing';
import type { MessageConfig } from '../../../apps/message-service/src/config/message.config';
import { SecretBox } from '../../../apps/message-service/src/crypto/secret-box';
import { startMessageService, type MessageService, failureOf } from './harness';

/* The API Key resource of message-service over real NATS and Postgres, in a database and NATS prefix of its own. */

const RFC_2822 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$/;

describe('message-service: API keys over NATS', () => {
  let ms: MessageService;
  let config: MessageConfig;
  let pg: Client;
  let main: string;
  let accountEvents: MessageService['accountEvents'];

  const caller = (accountSid = main) => ms.system(accountSid);
  const send: MessageService['send'] = (subject, payload) => ms.send(subject, payload);
  const createKey = (accountSid = main, friendlyName?: string, as = main) =>
    send('chat.v1.cmd.api-key.create', { caller: caller(as), params: { AccountSid: accountSid, ...(friendlyName !== undefined && { FriendlyName: friendlyName }) } });
  const login = (username: string, password: string) => send('chat.v1.cmd.account.authenticate', { username, password });

  beforeAll(async () => {
    ms = await startMessageService('apikeys', { empty: true });
    ({ config, pg, accountEvents } = ms);
    main = config.PARLEY_ACCOUNT_SID;
  });

  afterAll(() => ms?.stop());

  it('creates a key whose secret is shown once, stored sealed under the key sid, and authenticates', async () => {
    const key = await createKey(main, 'backend');
    expect(key).toEqual({
      sid: expect.stringMatching(/^SK[0-9a-f]{32}$/),
      friendly_name: 'backend',
      date_created: expect.stringMatching(RFC_2822),
      date_updated: expect.stringMatching(RFC_2822),
      secret: expect.stringMatching(/^[A-Za-z0-9]{32}$/),
    });
    const { rows } = await pg.query('SELECT * FROM api_keys WHERE sid = $1', [key.sid]);
    expect(rows[0].account_sid).toBe(main);
    expect(JSON.stringify(rows[0])).not.toContain(key.secret);
    expect(new SecretBox(config.PARLEY_SECRET_KEY).open(rows[0].secret_encrypted, key.sid)).toBe(key.secret);
    await expect(login(key.sid, key.secret)).resolves.toEqual({ accountSid: main, via: 'api_key' });

    const fetched = await send('chat.v1.cmd.api-key.fetch', { caller: caller(), params: { AccountSid: main, Sid: key.sid } });
    const { secret: _secret, ...withoutSecret } = key;
    expect(fetched).toEqual(withoutSecret);
  });

  it('creates a key without a name (friendly_name null) and renames it', async () => {
    const key = await createKey();
    expect(key.friendly_name).toBeNull();
    await pg.query(`UPDATE api_keys SET date_updated = date_updated - interval '1 hour' WHERE sid = $1`, [key.sid]);
    const renamed = await send('chat.v1.cmd.api-key.update', { caller: caller(), params: { AccountSid: main, Sid: key.sid, FriendlyName: 'named' } });
    expect(renamed).toMatchObject({ sid: key.sid, friendly_name: 'named', date_created: key.date_created });
    expect(Date.parse(renamed.date_updated)).toBeGreaterThan(Date.parse(key.date_updated) - 3600_000);
    expect(renamed).not.toHaveProperty('secret');
  });

  it('deletes a key: it stops authenticating and the account is announced as changed', async () => {
    const key = await createKey(main, 'doomed');
    await expect(login(key.sid, key.secret)).resolves.toMatchObject({ accountSid: main });
    await expect(send('chat.v1.cmd.api-key.delete', { caller: caller(), params: { AccountSid: main, Sid: key.sid } })).resolves.toEqual({});
    expect(await failureOf(login(key.sid, key.secret))).toMatchObject({ code: 20003, status: 401 });
    await waitFor(() => accountEvents.some((e) => e.accountSid === main && e.reason === 'api-key-removed'), {
      description: 'credentials.changed after the key was deleted',
    });
    expect(await failureOf(send('chat.v1.cmd.api-key.fetch', { caller: caller(), params: { AccountSid: main, Sid: key.sid } }))).toEqual({
      code: 20404,
      status: 404,
      message: `The requested resource /2010-04-01/Accounts/${main}/Keys/${key.sid}.json was not found`,
    });
    expect(await failureOf(send('chat.v1.cmd.api-key.delete', { caller: caller(), params: { AccountSid: main, Sid: key.sid } }))).toMatchObject({
      code: 20404,
    });
  });

  it("lets an owner manage its subaccount's keys, but not a subaccount its owner's or a sibling's", async () => {
    const sub = await send('chat.v1.cmd.account.create', { caller: caller(), params: { FriendlyName: 'tenant' } });
    const sibling = await send('chat.v1.cmd.account.create', { caller: caller(), params: { FriendlyName: 'sibling' } });
    const subKey = await createKey(sub.sid, 'by owner');
    await expect(login(subKey.sid, subKey.secret)).resolves.toEqual({ accountSid: sub.sid, via: 'api_key' });
    const ownKey = await createKey(sub.sid, 'by itself', sub.sid);
    const listed = await send('chat.v1.cmd.api-key.list', { caller: caller(sub.sid), params: { AccountSid: sub.sid } });
    expect(listed.items.map((k) => k.sid)).toEqual([subKey.sid, ownKey.sid]);

    const mainKey = await createKey(main, 'main only');
    const forbidden: [string, Promise<unknown>][] = [
      ['list the owner', send('chat.v1.cmd.api-key.list', { caller: caller(sub.sid), params: { AccountSid: main } })],
      ['fetch an owner key', send('chat.v1.cmd.api-key.fetch', { caller: caller(sub.sid), params: { AccountSid: main, Sid: mainKey.sid } })],
      ['create for a sibling', createKey(sibling.sid, 'x', sub.sid)],
      ['delete a key under the wrong account', send('chat.v1.cmd.api-key.delete', { caller: caller(), params: { AccountSid: sibling.sid, Sid: subKey.sid } })],
      ['an unknown account', createKey(newSid('AC'))],
    ];
    for (const [name, attempt] of forbidden) {
      expect({ name, error: await failureOf(attempt) }).toMatchObject({ name, error: { code: 20404, status: 404 } });
    }
    await expect(login(subKey.sid, subKey.secret)).resolves.toMatchObject({ accountSid: sub.sid });
  });

  it('lists keys in creation order across pages without duplicates or misses', async () => {
    const sub = await send('chat.v1.cmd.account.create', { caller: caller(), params: { FriendlyName: 'paging' } });
    const created = [];
    for (let i = 0; i < 5; i++) created.push((await createKey(sub.sid, `k${i}`)).sid);
    // Same creation instant for two of them: the sid breaks the tie.
    await pg.query('UPDATE api_keys SET date_created = (SELECT date_created FROM api_keys WHERE sid = $1) WHERE sid = $2', [created[1], created[2]]);
    const expected = (await pg.query<{ sid: string }>('SELECT sid FROM api_keys WHERE account_sid = $1 ORDER BY date_created, sid', [sub.sid])).rows.map(
      (r) => r.sid,
    );
    const seen: string[] = [];
    let token: string | undefined;
    let last;
    do {
      last = await send('chat.v1.cmd.api-key.list', { caller: caller(), params: { AccountSid: sub.sid, PageSize: 2, ...(token && { PageToken: token }) } });
      seen.push(...last.items.map((k) => k.sid));
      token = last.nextPageToken ?? undefined;
    } while (token);
    expect(seen).toEqual(expected);
    // And back from the last page.
    const back = await send('chat.v1.cmd.api-key.list', { caller: caller(), params: { AccountSid: sub.sid, PageSize: 2, PageToken: last.previousPageToken! } });
    expect(back.items.map((k) => k.sid)).toEqual(expected.slice(2, 4));
  });

  it('answers bad parameters with 400 20001 naming them, and SDK users with 403 50107', async () => {
    const cases: [Promise<unknown>, string][] = [
      [createKey(main, 'x'.repeat(65)), 'FriendlyName'],
      [send('chat.v1.cmd.api-key.fetch', { caller: caller(), params: { AccountSid: main, Sid: 'SK123' } }), 'Sid'],
      [send('chat.v1.cmd.api-key.list', { caller: caller(), params: { AccountSid: main, PageSize: 0 } }), 'PageSize'],
      [send('chat.v1.cmd.api-key.list', { caller: caller(), params: { AccountSid: main, PageToken: 'PBnope' } }), 'PageToken'],
    ];
    for (const [attempt, parameter] of cases) {
      const error = await failureOf(attempt);
      expect({ parameter, error }).toMatchObject({ parameter, error: { code: 20001, status: 400 } });
      expect(error.message).toContain(parameter);
    }
    const user: Caller = { ...caller(), actor: { kind: 'user', identity: 'alice' } };
    expect(await failureOf(send('chat.v1.cmd.api-key.create', { caller: user, params: { AccountSid: main } }))).toMatchObject({
      code: 50107,
      status: 403,
    });
  });
});
