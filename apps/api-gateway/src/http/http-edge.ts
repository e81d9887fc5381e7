import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { INestApplication, NestApplicationOptions } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ErrorCode, moreInfoUrl } from '@parley/contracts';

/** Nest's default parsers (JSON, extended urlencoded that nests dotted keys) must not run: FormBodyMiddleware parses. */
export const HTTP_NEST_OPTIONS: NestApplicationOptions = { bodyParser: false };

/** Express settings of the REST edge; main.ts and the integration tests apply the same. */
export function configureHttp(app: INestApplication): void {
  const express = app as NestExpressApplication;
  // node querystring: flat keys, a repeated key (`Type=a&Type=b`) becomes an array, as Twilio sends filters.
  express.set('query parser', 'simple');
  express.disable('x-powered-by');
  (app.getHttpServer() as Server).on('clientError', answerClientError);
}

/**
 * Requests node's HTTP parser refuses before Express sees them (a URL or headers over the 16 KiB limit, a broken
 * request line) get a Twilio error JSON too, instead of node's bare status line. The socket is ended, not destroyed,
 * and keeps being read, so the client receives the answer instead of a reset.
 */
export function answerClientError(err: Error & { code?: string; rawPacket?: unknown }, socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
  const status = tooLarge ? 431 : 400;
  const body = JSON.stringify({
    code: ErrorCode.InvalidParameter,
    message: tooLarge ? 'Request URL or headers too large' : 'Malformed HTTP request',
    more_info: moreInfoUrl(ErrorCode.InvalidParameter),
    status,
  });
  socket.on('error', () => socket.destroy());
  // The answer to a HEAD request has headers only.
  const head = Buffer.isBuffer(err.rawPacket) && err.rawPacket.subarray(0, 5).toString('latin1') === 'HEAD ';
  socket.end(
    `HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
      `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${head ? '' : body}`,
  );
  socket.resume();
  // A client that never closes its side does not keep the socket.
  setTimeout(() => socket.destroy(), 5_000).unref();
}
