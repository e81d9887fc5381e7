import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client as Pg } from 'pg';
import twilio from 'twilio';
import { Client } from '@parley/client';
import { chatFixture, startStack, TEST_LOG_DIR, twilioClient, type ChatFixture, type Stack } from '@parley/testing';
import { basicAuth } from '../fuzz/support/raw-http';
import { handshake, tamper } from './support/handshake';

/**
 * Secrets stay secret: after a run at debug level that uses every kind of credential (auth tokens, API key secrets,
 * Access Tokens, push credential secrets, and wrong ones), none of them appears in any log line; and at rest the API key
 * secret, the auth token and the push credential secrets are not stored in plaintext.
 */
describe('secrets in logs and at rest', () => {
  let stack: Stack;
  let chat: ChatFixture;
  const secrets = new Map<string, string>();
  let atRest: Record<string, Record<string, unknown>[]> = {};

  const remember = (what: string, value: string) => {
    secrets.set(what, value);
    return value;
  };

  beforeAll(async () => {
    stack = await startStack({ label: 'secsecrets', env: { LOG_LEVEL: 'debug' } });
    remember('auth token', stack.authToken);
    remember('server secret key', stack.secretKey);
    chat = await chatFixture(stack, 'secrets');
    remember('api key secret', chat.keySecret);
    const base = stack.get('api-gateway').url;

    // A subaccount: its auth token is in the creation answer.
    const sub = await chat.rest.api.v2010.accounts.create({ friendlyName: 'secret holder' });
    remember('subaccount auth token', sub.authToken);
    const subKey = await twilioClient(base, sub.sid, sub.authToken).newKeys.create({ friendlyName: 'sub key' });
    remember('subaccount api key secret', subKey.secret);

    // REST with each kind of credential, and with wrong ones (a wrong password is a secret too: often a typo of the right one).
    await twilioClient(base, chat.keySid, chat.keySecret, stack.accountSid).chat.v2.services(chat.serviceSid).fetch();
    for (const [user, pass] of [
      [stack.accountSid, remember('wrong auth token', randomBytes(16).toString('hex'))],
      [chat.keySid, remember('wrong key secret', randomBytes(16).toString('hex'))],
    ] as const) {
      const res = await fetch(`${base}/v2/Services`, { headers: { authorization: basicAuth(user, pass) } });
      expect(res.status).toBe(401);
    }

    // Push credentials carry secrets of their own.
    await chat.rest.chat.v2.credentials.create({ type: 'fcm', secret: remember('fcm secret', `fcm-${randomBytes(12).toString('hex')}`) });
    await chat.rest.chat.v2.credentials.create({
      type: 'apn',
      certificate: remember('apn certificate', `-----BEGIN CERTIFICATE-----${randomBytes(24).toString('base64')}-----END CERTIFICATE-----`),
      privateKey: remember('apn private key', `-----BEGIN RSA PRIVATE KEY-----${randomBytes(24).toString('base64')}-----END RSA PRIVATE KEY-----`),
    });
    await chat.rest.chat.v2.credentials.create({ type: 'gcm', apiKey: remember('gcm api key', `AIza${randomBytes(12).toString('hex')}`) });

    // Access Tokens: a session, a token update, a refused forgery, a token of a deleted key.
    const url = stack.get('realtime-gateway').url;
    const first = remember('access token', chat.token('alice'));
    remember('access token signature', first.split('.')[2] as string);
    const client = await Client.create(first, { url, commandTimeout: 5_000 });
    const fresh = remember('refreshed access token', chat.token('alice', { ttl: 7200 }));
    remember('refreshed access token signature', fresh.split('.')[2] as string);
    await client.updateToken(fresh);
    await client.shutdown();
    const forged = remember('forged access token', tamper(chat.token('alice'), (p) => ((p.grants as Record<string, unknown>).identity = 'root')));
    await expect(handshake(url, forged)).resolves.toMatchObject({ code: 20107 });
    const expired = new twilio.jwt.AccessToken(stack.accountSid, chat.keySid, chat.keySecret, { identity: 'bob', ttl: -60 });
    expired.addGrant(new twilio.jwt.AccessToken.ChatGrant({ serviceSid: chat.serviceSid }));
    await expect(handshake(url, remember('expired access token', expired.toJwt()))).resolves.toMatchObject({ code: 20104 });

    // What is stored, read straight from Postgres before the stack (and its database) goes away.
    const pg = new Pg({ connectionString: stack.database.url });
    await pg.connect();
    try {
      for (const table of ['accounts', 'api_keys', 'credentials']) atRest[table] = (await pg.query(`SELECT * FROM ${table}`)).rows as Record<string, unknown>[];
    } finally {
      await pg.end();
    }
  });

  afterAll(async () => {
    await stack?.stop();
  });

  /** Every way a secret could be written down: as is, base64, in a Basic header, hex of its bytes. */
  function spellings(value: string): string[] {
    return [value, Buffer.from(value).toString('base64'), Buffer.from(value).toString('base64url')].filter((s) => s.length >= 12);
  }

  it('never writes a secret, token or wrong password to any log (debug level, every process)', async () => {
    // Stopping flushes every process' log.
    const files = stack.processes.map((p) => p.logFile);
    await Promise.all(stack.processes.map((p) => p.stop('SIGTERM')));
    const ours = files.map((f) => readFileSync(f, 'utf8'));
    expect(ours.join('').split('\n').length).toBeGreaterThan(20); // the logs did get written
    expect(ours.join('')).toContain(chat.keySid); // and the scan can see what they hold (a key sid is not a secret)
    // All logs of the run in the folder (other suites' too: our values are random, so any hit is ours).
    const everything = readdirSync(TEST_LOG_DIR)
      .filter((f) => f.endsWith('.log'))
      .map((f) => readFileSync(join(TEST_LOG_DIR, f), 'utf8'));
    const leaks: string[] = [];
    for (const [what, value] of secrets) {
      for (const spelled of spellings(value)) {
        if ([...ours, ...everything].some((text) => text.includes(spelled))) leaks.push(`${what} (${spelled.slice(0, 6)}…)`);
      }
    }
    // Basic headers as sent, in case a header is logged whole.
    for (const [user, pass] of [[stack.accountSid, stack.authToken], [chat.keySid, chat.keySecret]]) {
      if (ours.some((text) => text.includes(basicAuth(user as string, pass as string).slice(6)))) leaks.push(`basic header of ${user}`);
    }
    expect(leaks).toEqual([]);
    console.log(`log scan: ${secrets.size} secrets × their spellings, in ${files.length} logs of this stack and ${everything.length} in ${TEST_LOG_DIR}: 0 found`);
  });

  it('stores API key secrets, the auth token and push credential secrets encrypted or hashed, never in plaintext', () => {
    const rows = Object.values(atRest).flat();
    expect(atRest.api_keys?.length).toBeGreaterThanOrEqual(2);
    expect(atRest.credentials?.length).toBe(3);
    const stored = JSON.stringify(rows);
    const plaintext = [...secrets].filter(([what]) => !what.includes('access token') && !what.startsWith('wrong') && what !== 'server secret key');
    const found = plaintext.filter(([, value]) => spellings(value).some((s) => stored.includes(s))).map(([what]) => what);
    expect(found).toEqual([]);
    // The key row holds something in place of the secret, and it is not the secret in another common encoding.
    const keyRow = atRest.api_keys?.find((r) => r.sid === chat.keySid) as Record<string, unknown>;
    expect(keyRow).toBeDefined();
    const hexOfSecret = Buffer.from(chat.keySecret).toString('hex');
    expect(JSON.stringify(keyRow)).not.toContain(hexOfSecret);
  });
});
