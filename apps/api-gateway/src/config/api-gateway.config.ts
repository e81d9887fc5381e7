import { z } from 'zod';
import { commonEnvShape, loadConfigOrExit, port } from '@parley/config';

export const SERVICE_NAME = 'api-gateway';

export const apiGatewayConfigSchema = z.object({
  ...commonEnvShape,
  PORT: port(3000),
  /** Base of every absolute `url`, `links` and `meta.*_url` the REST API renders (what clients follow verbatim). */
  PARLEY_PUBLIC_URL: z
    .string()
    .regex(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/i, 'must be an http(s) URL without query or fragment')
    .default('http://127.0.0.1:3000')
    .transform((url) => url.replace(/\/+$/, '')),
  /** REST actions per second per account (Twilio's default is 30). */
  REST_RATE_LIMIT_PER_SECOND: z.coerce.number().int().min(1).max(100_000).default(30),
});
export type ApiGatewayConfig = z.infer<typeof apiGatewayConfigSchema>;

export const loadApiGatewayConfig = (): ApiGatewayConfig => loadConfigOrExit(SERVICE_NAME, apiGatewayConfigSchema);
