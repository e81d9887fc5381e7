import { Injectable, type NestMiddleware } from '@nestjs/common';
import { urlencoded } from 'body-parser';
import type { NextFunction, Request, Response } from 'express';
import { ErrorCode, Errors, ParleyError } from '@parley/contracts';

/**
 * Twilio's 32 KiB message body becomes up to 96 KiB once percent-encoded (3 bytes per UTF-8 byte), and
 * attributes come on top: 256 KiB leaves room for both and still bounds what one request can make us buffer.
 */
export const FORM_BODY_LIMIT_BYTES = 256 * 1024;
const FORM_TYPE = 'application/x-www-form-urlencoded';

// `extended: false` keeps keys literal: `Limits.ChannelMembers` stays one flat key (the contracts' param
// names), `a[b]` is not nested, and a repeated key (`Permission=a&Permission=b`) becomes an array.
const parseForm = urlencoded({ extended: false, limit: FORM_BODY_LIMIT_BYTES, parameterLimit: 1000 });

/**
 * Parses POST bodies of the REST API as Twilio sends them. Runs as Nest middleware (not `app.use`) so that
 * a bad body reaches the Twilio error filter like any other error.
 */
@Injectable()
export class FormBodyMiddleware implements NestMiddleware {
  async use(req: Request, res: Response, next: NextFunction): Promise<void> {
    if (req.method === 'POST') {
      // `req.is` answers null when there is no body at all, false when the body has another type.
      if (req.is(FORM_TYPE) === false) {
        throw Errors.badRequest(ErrorCode.InvalidParameter, `Content-Type must be ${FORM_TYPE}`);
      }
      await new Promise<void>((resolve, reject) => {
        parseForm(req, res, (err?: unknown) => (err ? reject(asBodyError(err)) : resolve()));
      });
      req.body ??= {};
    }
    next();
  }
}

/** body-parser's 4xx errors (http-errors with a status) become Twilio errors; anything else stays a bug. */
function asBodyError(err: unknown): unknown {
  const status = typeof err === 'object' && err !== null ? (err as { status?: unknown }).status : undefined;
  if (typeof status !== 'number' || status < 400 || status > 499) return err;
  const reason = err instanceof Error ? err.message : 'unreadable';
  if (status === 413) return new ParleyError(ErrorCode.InvalidParameter, `Request body too large: ${reason}`, 413);
  return Errors.badRequest(ErrorCode.InvalidParameter, `Malformed request body: ${reason}`);
}
