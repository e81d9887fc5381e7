import twilio from 'twilio';
import { twilioClient } from './twilio-client';
import type { Stack } from './stack';

export interface ChatFixture {
  rest: twilio.Twilio;
  serviceSid: string;
  keySid: string;
  keySecret: string;
  /** An Access Token minted by the official helper, exactly as a backend would. */
  token(identity: string, options?: { ttl?: number; nbf?: number }): string;
}

/** A Service and an API key on a running stack, and Access Tokens for it. */
export async function chatFixture(stack: Stack, friendlyName = 'realtime'): Promise<ChatFixture> {
  const rest = twilioClient(stack.get('api-gateway').url, stack.accountSid, stack.authToken);
  const key = await rest.newKeys.create({ friendlyName: 'sdk tokens' });
  const service = await rest.chat.v2.services.create({ friendlyName });
  return {
    rest,
    serviceSid: service.sid,
    keySid: key.sid,
    keySecret: key.secret,
    token(identity, options = {}) {
      const token = new twilio.jwt.AccessToken(stack.accountSid, key.sid, key.secret, {
        identity,
        ttl: options.ttl ?? 3600,
        nbf: options.nbf,
      });
      token.addGrant(new twilio.jwt.AccessToken.ChatGrant({ serviceSid: service.sid }));
      return token.toJwt();
    },
  };
}
