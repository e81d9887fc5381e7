import { z } from 'zod';

/*
 * Parameter schemas accept both the strings of a form-encoded Twilio request and the typed
 * values of an SDK command, and produce the typed value. Their output parses again to itself,
 * so a payload validated at the edge validates again on receipt.
 */

export const formBoolean = z.union([
  z.boolean(),
  z
    .string()
    .regex(/^(true|false)$/i, 'must be true or false')
    .transform((v) => v.toLowerCase() === 'true'),
]);

export const formInt = (min: number, max: number) =>
  z
    .union([z.number(), z.string().regex(/^-?\d{1,15}$/, 'must be an integer').transform(Number)])
    .pipe(z.number().int().min(min).max(max));

/** Repeated form keys arrive as an array, a single one as a string. */
export const formStringArray = <T extends string = string>(item: z.ZodType<T, string> = z.string() as unknown as z.ZodType<T, string>) =>
  z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v])).pipe(z.array(item));

/** Twilio's ISO-8601 date parameters (`DateCreated`, backfill): accepts `Z`, fractional seconds and offsets. */
export const formDate = z
  .string()
  .refine((v) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/.test(v) && !Number.isNaN(Date.parse(v)), {
    message: 'must be an ISO 8601 date-time',
  });

/** Twilio's attributes: a JSON-encoded string (objects only), bounded in size. */
export const jsonAttributes = (maxBytes: number) =>
  z.string().refine(
    (v) => {
      if (Buffer.byteLength(v, 'utf8') > maxBytes) return false;
      try {
        const parsed: unknown = JSON.parse(v);
        return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
      } catch {
        return false;
      }
    },
    { message: `must be a JSON object of at most ${maxBytes} bytes` },
  );

export const pageParamsShape = {
  PageSize: formInt(1, 1000).optional(),
  Page: formInt(0, 1_000_000).optional(),
  PageToken: z.string().max(512).optional(),
};

/** Seconds precision, literal Z: `2015-12-16T22:18:37Z`, as Twilio renders dates. */
export function twilioDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
