import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { ErrorCode, Errors, moreInfoUrl, ParleyError } from '@parley/contracts';
import { ROOT_LOGGER } from '@parley/platform';
import { isApiPath, resourcePath } from './api-paths';

/** Twilio's REST error body (permissions-errors.md §4); `status` always equals the HTTP status. */
export interface TwilioErrorBody {
  code: number;
  message: string;
  more_info: string;
  status: number;
}

export function twilioErrorBody(error: ParleyError): TwilioErrorBody {
  return { code: error.code, message: error.message, more_info: moreInfoUrl(error.code), status: error.status };
}

/** The Twilio error an exception stands for, or null when it is unexpected (a bug: logged, answered 500). */
export function knownTwilioError(exception: unknown, path: string): ParleyError | null {
  if (exception instanceof ParleyError) return exception;
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    // Nest's answer for a route that does not exist.
    if (status === 404) return Errors.notFound(resourcePath(path));
    // Nest's other client errors, e.g. a URL that does not percent-decode: the client's fault, not a bug.
    if (status >= 400 && status < 500) return new ParleyError(ErrorCode.InvalidParameter, exception.message, status);
  }
  return null;
}

/** The one place an HTTP error is rendered: domain errors, unknown routes, bad bodies and bugs alike. */
@Catch()
export class TwilioErrorFilter implements ExceptionFilter {
  constructor(@Inject(ROOT_LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) {
      res.end();
      return;
    }
    // /health/ready's 503 keeps terminus' report of which dependency is down: operators read it.
    if (exception instanceof HttpException && exception.getStatus() >= 500 && !isApiPath(req.path)) {
      res.status(exception.getStatus()).json(exception.getResponse());
      return;
    }
    let error = knownTwilioError(exception, req.path);
    if (!error) {
      this.logger.error({ err: exception, correlationId: req.id, method: req.method, path: req.path }, 'request failed');
      error = Errors.internal();
    } else if (error.status >= 500) {
      this.logger.warn({ correlationId: req.id, code: error.code, error: error.message }, 'request answered with a server error');
    }
    if (error.status === 401) res.setHeader('WWW-Authenticate', 'Basic realm="Parley"');
    res.status(error.status).json(twilioErrorBody(error));
  }
}
