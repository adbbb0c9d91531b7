import type { z } from 'zod';

import { SyncError } from '../errors.js';

/**
 * Parses one item an IdP SDK handed back (already JSON-decoded) at the boundary. A mismatch is
 * a `SOURCE_INVALID_RESPONSE` naming the endpoint and the first bad path, with the zod error kept
 * as the cause — never partial data.
 */
export function parseSourceItem<T>(item: unknown, schema: z.ZodType<T>, what: string): T {
  const result = schema.safeParse(item);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where =
      issue === undefined ? '' : ` at ${issue.path.map(String).join('.')}: ${issue.message}`;
    throw new SyncError('SOURCE_INVALID_RESPONSE', `${what} returned an unexpected item${where}`, {
      endpoint: what,
      cause: result.error,
    });
  }
  return result.data;
}
