import { io } from 'socket.io-client';
import { chatFixture, startStack, twilioClient, waitFor, type ChatFixture, type Stack } from '@parley/testing';
import { basicAuth } from '../fuzz/support/raw-http';

/**
 * Rate limits: REST requests per account (REST_RATE_LIMIT_PER_SECOND, in memory per api-gateway replica) answer
 * 429 with Twilio's 20429 and a Retry-After header once the rate and its burst are spent, without touching other
 * accounts; the realtime gateway's per-socket command limit answers 20429 acks and keeps the socket.
 */
describe('rate limits', () => {
  const PER_SECOND = 5;
  let stack: Stack;
  let chat: ChatFixture;
  let base: string;

  beforeAll(async () => {
    stack = await startStack({
      label: 'secrate',
      apps: ['message-service', 'api-gateway', 'realtime-gateway'],
      env: { REST_RATE_LIMIT_PER_SECOND: String(PER_SECOND), SOCKET_COMMANDS_PER_SECOND: '5' },
    });
    base = stack.get('api-gateway').url;
    chat = await chatFixture(stack, 'rate limits');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('answers 429 with code 20429 and Retry-After past the rate and burst, per account, and lets the caller back in after it', async () => {
    // Another account (a subaccount has its own credentials), made before the parent spends its allowance.
    const sub = await chat.rest.api.v2010.accounts.create({ friendlyName: 'neighbour' });
    await waitFor(async () => (await fetch(`${base}/v2/Services`, { headers: { authorization: basicAuth(stack.accountSid, stack.authToken) } })).status === 429, {
      timeoutMs: 20_000,
      intervalMs: 1,
      description: 'the parent account to be throttled',
    });
    const answers = await Promise.all(
      Array.from({ length: 3 * PER_SECOND }, () => fetch(`${base}/v2/Services`, { headers: { authorization: basicAuth(stack.accountSid, stack.authToken) } })),
    );
    const throttled = answers.filter((r) => r.status === 429);
    expect(throttled.length).toBeGreaterThan(0);
    for (const res of throttled) {
      const retryAfter = Number(res.headers.get('retry-after'));
      expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 10).toBe(true);
      expect(await res.json()).toEqual({ code: 20429, message: 'Too many requests', more_info: 'https://www.twilio.com/docs/errors/20429', status: 429 });
    }
    // The helper library surfaces it as Twilio's error.
    await expect(chat.rest.chat.v2.services.list()).rejects.toMatchObject({ status: 429, code: 20429 });

    // A neighbour account is not slowed down by it.
    const neighbour = await fetch(`${base}/v2/Services`, { headers: { authorization: basicAuth(sub.sid, sub.authToken) } });
    expect(neighbour.status).toBe(200);

    // After Retry-After, the throttled account is served again.
    const wait = Number(throttled[0]?.headers.get('retry-after') ?? 1);
    await waitFor(
      async () => (await fetch(`${base}/v2/Services`, { headers: { authorization: basicAuth(stack.accountSid, stack.authToken) } })).status === 200,
      { timeoutMs: (wait + 2) * 1000, intervalMs: 250, description: 'service after Retry-After' },
    );
  });

  it('answers a socket flooding commands with 20429 acks and keeps serving it once it slows down', async () => {
    const socket = io(stack.get('realtime-gateway').url, { transports: ['websocket'], auth: { token: chat.token('flooder') }, reconnection: false, forceNew: true });
    try {
      await new Promise<void>((resolve) => socket.once('session', () => resolve()));
      const ask = () => new Promise<{ ok: boolean; error?: { code: number; status: number } }>((resolve) => socket.emit('channel.subscribed', {}, resolve));
      const replies = await Promise.all(Array.from({ length: 30 }, ask));
      const limited = replies.filter((r) => !r.ok);
      expect(limited.length).toBeGreaterThan(0);
      for (const r of limited) expect(r.error).toMatchObject({ code: 20429, status: 429 });
      expect(socket.connected).toBe(true);
      await waitFor(async () => (await ask()).ok, { timeoutMs: 5_000, intervalMs: 250, description: 'the socket to be served again' });
    } finally {
      socket.disconnect();
    }
  });
});
