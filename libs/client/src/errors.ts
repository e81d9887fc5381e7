import type { ErrorBody } from '@parley/contracts';

/**
 * Codes of errors the SDK raises itself, without a server reply. Server errors keep the server's
 * Twilio code and status.
 */
export const SDKErrorCode = {
  /** A local argument check failed (the same code the server uses for a bad parameter). */
  InvalidArgument: 20001,
  /** No ack within the command timeout (retry-safe commands are retried first). */
  Timeout: 20408,
  /** The connection dropped before the reply of a command that is not safe to resend. */
  ConnectionLost: 20503,
  /** The client was shut down, denied, or its token expired: no connection will carry the command. */
  NotConnected: 20504,
  /** The Access Token was rejected at the handshake (the server's code replaces this one when it sends one). */
  Denied: 20101,
  /** The operation is not allowed for this identity (e.g. updating another user). */
  NotAuthorized: 50107,
  /** A member or message looked up locally does not exist. */
  NotFound: 20404,
} as const;

/** Every failed SDK call rejects with this: Twilio's `code`, the HTTP-like `status` and a message. */
export class SDKError extends Error {
  readonly code: number;
  readonly status: number;

  constructor(code: number, message: string, status: number) {
    super(message);
    this.name = 'SDKError';
    this.code = code;
    this.status = status;
    // Keep `instanceof` working when compiled to ES5 by consumers' bundlers.
    Object.setPrototypeOf(this, new.target.prototype);
  }

  static fromBody(body: Partial<ErrorBody> | undefined | null): SDKError {
    const code = typeof body?.code === 'number' ? body.code : 20500;
    const status = typeof body?.status === 'number' ? body.status : 500;
    const message = typeof body?.message === 'string' && body.message ? body.message : 'Unknown error';
    return new SDKError(code, message, status);
  }

  static invalidArgument(message: string): SDKError {
    return new SDKError(SDKErrorCode.InvalidArgument, message, 400);
  }

  static timeout(command: string): SDKError {
    return new SDKError(SDKErrorCode.Timeout, `No reply to ${command} in time`, 408);
  }

  static connectionLost(command: string): SDKError {
    return new SDKError(SDKErrorCode.ConnectionLost, `The connection dropped before the reply to ${command}`, 503);
  }

  static notConnected(why: string): SDKError {
    return new SDKError(SDKErrorCode.NotConnected, `Not connected: ${why}`, 503);
  }
}

/** Twilio Access Token errors (20101–20107) and Twilsock's "service instance not found" (51101). */
const TOKEN_ERROR_CODES = new Set([20101, 20102, 20103, 20104, 20105, 20106, 20107, 51101]);
export const TOKEN_EXPIRED_CODE = 20104;

/**
 * Whether a handshake rejection is final: token problems and 401/403 answers are not retried
 * (the same token would be rejected again); anything else (network, 5xx, 429) is.
 */
export function isDenial(error: { code?: number; status?: number } | null | undefined): boolean {
  if (!error) return false;
  if (typeof error.code === 'number' && TOKEN_ERROR_CODES.has(error.code)) return true;
  return error.status === 401 || error.status === 403;
}
