import { randomBytes, randomInt } from 'node:crypto';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** An auth token as Twilio issues them: 32 lowercase hex characters (128 random bits). */
export function newAuthToken(): string {
  return randomBytes(16).toString('hex');
}

/** An API key secret as Twilio issues them: 32 letters and digits (about 190 random bits), uniformly drawn. */
export function newKeySecret(length = 32): string {
  let secret = '';
  for (let i = 0; i < length; i++) secret += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return secret;
}
