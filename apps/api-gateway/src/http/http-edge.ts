import type { INestApplication, NestApplicationOptions } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';

/** Nest's default parsers (JSON, extended urlencoded that nests dotted keys) must not run: FormBodyMiddleware parses. */
export const HTTP_NEST_OPTIONS: NestApplicationOptions = { bodyParser: false };

/** Express settings of the REST edge; main.ts and the integration tests apply the same. */
export function configureHttp(app: INestApplication): void {
  const express = app as NestExpressApplication;
  // node querystring: flat keys, a repeated key (`Type=a&Type=b`) becomes an array, as Twilio sends filters.
  express.set('query parser', 'simple');
  express.disable('x-powered-by');
}
