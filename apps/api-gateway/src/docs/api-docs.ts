import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from '../app.module';

export const DOCS_PATH = 'docs';
export const DOCS_JSON_PATH = 'docs-json';

/**
 * Parley's own OpenAPI document, generated from the controllers at start: Swagger UI at `/docs`, the document
 * at `/docs-json`. Both sit outside the API prefixes, so they need no credentials. Every controller's routes
 * of the REST API appear (PascalCase form and query parameters where a controller declares them from its
 * contract); the operational routes of the platform module (/health, /metrics) are not part of the API.
 */
export function configureDocs(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Parley REST API')
    .setDescription(
      'Twilio-compatible REST API of Parley: Programmable Chat v2 (`/v2`), the Conversations-style Service ' +
        'Configuration (`/v1`), and Accounts and API Keys of the 2010-04-01 API (`/2010-04-01`). Requests are ' +
        'form-encoded with PascalCase keys; responses are Twilio-shaped JSON. Authenticate with HTTP Basic ' +
        '`AccountSid:AuthToken` or `KeySid:KeySecret` (Accounts and Keys accept only the auth token).',
    )
    .setVersion('1')
    .addBasicAuth()
    .build();
  SwaggerModule.setup(DOCS_PATH, app, () => SwaggerModule.createDocument(app, config, { include: [AppModule] }), {
    jsonDocumentUrl: DOCS_JSON_PATH,
  });
}
