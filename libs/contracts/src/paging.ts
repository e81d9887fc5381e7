import { z } from 'zod';
import { pageParamsShape } from './form';

/** A page of a keyset-paged list, as message-service answers a list command. */
export const pageResultSchema = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    pageSize: z.number().int(),
    nextPageToken: z.string().nullable(),
    previousPageToken: z.string().nullable(),
  });
export type PageResult<T> = { items: T[]; pageSize: number; nextPageToken: string | null; previousPageToken: string | null };

export const pageParamsSchema = z.object(pageParamsShape);
