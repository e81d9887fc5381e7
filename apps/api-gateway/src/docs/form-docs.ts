import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiQuery } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { z } from 'zod';

/*
 * OpenAPI for Twilio-style endpoints, derived from the contracts' parameter schemas so the document cannot
 * drift from what the gateway validates: form bodies and query parameters keep Twilio's PascalCase (and
 * dotted) names. Path parameters appear in the schemas too and are left out here.
 */

function paramsSchema(schema: z.ZodObject, omit: readonly string[]): SchemaObject {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, SchemaObject>;
    required?: string[];
  };
  const properties = Object.fromEntries(Object.entries(json.properties ?? {}).filter(([name]) => !omit.includes(name)));
  const required = (json.required ?? []).filter((name) => !omit.includes(name));
  return { type: 'object', properties, ...(required.length > 0 && { required }) };
}

/** The form body (`application/x-www-form-urlencoded`) of a create/update, from its contract schema. */
export function ApiFormBody(schema: z.ZodObject, omit: readonly string[] = []) {
  return applyDecorators(
    ApiConsumes('application/x-www-form-urlencoded'),
    ApiBody({ schema: paramsSchema(schema, omit), required: false }),
  );
}

/** The query parameters of a list (filters and paging), from its contract schema. */
export function ApiQueryParams(schema: z.ZodObject, omit: readonly string[] = []) {
  const { properties = {}, required = [] } = paramsSchema(schema, omit);
  return applyDecorators(
    ...Object.entries(properties).map(([name, property]) =>
      ApiQuery({ name, required: required.includes(name), schema: property as SchemaObject }),
    ),
  );
}
