/**
 * Reading an SDK pager page by page, not item by item: the `auth0` SDK takes a missing list
 * field for an empty one (`response.users ?? []`), so a 200 of `{}` would pass for an empty
 * tenant. Each page body is checked here first, then held to the listing's page guard:
 *
 * - offset pages (`page`/`per_page`; the SDK always asks `include_totals=true`) state the list's
 *   `total`: a listing of another size lost or repeated a page, and an item seen twice means a
 *   page came back again;
 * - checkpoint pages (`from`/`take`) carry `next`, which must never repeat; an empty page with a
 *   `next` is followed (a bounded number of times in a row).
 *
 * @see /work/shared/reference/idp-apis.md §G "Paging"
 */
import { z } from 'zod';

import { SyncError } from '../../errors.js';
import { createPageGuard, type PageGuard } from '../page-guard.js';
import { parseSourceItem } from '../parse-item.js';

/** The part of the SDK's `Page` read here (its class is not exported under a stable path). */
export type SdkPage = {
  readonly response: unknown;
  hasNextPage(): boolean;
  getNextPage(): Promise<unknown>;
};

/** How one list pages and where its items are. */
export type PageSpec<T> =
  | { readonly paging: 'offset'; readonly key: string; readonly idOf: (item: T) => string }
  | { readonly paging: 'checkpoint'; readonly key: string };

const offsetBody = (key: string) =>
  z.object({ [key]: z.array(z.unknown()), total: z.number().int().nonnegative().optional() });
const checkpointBody = (key: string) =>
  z.object({ [key]: z.array(z.unknown()), next: z.string().nullish() });

/**
 * The raw items and paging fields of one page body.
 *
 * @throws SyncError `SOURCE_INVALID_RESPONSE` when the body lacks its list field
 */
export function pageBody(
  response: unknown,
  spec: { readonly paging: 'offset' | 'checkpoint'; readonly key: string },
  what: string,
): { items: unknown[]; total?: number | undefined; next?: string | undefined } {
  const schema = spec.paging === 'offset' ? offsetBody(spec.key) : checkpointBody(spec.key);
  const parsed = schema.safeParse(response);
  if (!parsed.success) {
    throw new SyncError(
      'SOURCE_INVALID_RESPONSE',
      `${what} answered a page without its "${spec.key}" list`,
      { endpoint: what, cause: parsed.error },
    );
  }
  const body = parsed.data as Record<string, unknown>;
  return {
    items: body[spec.key] as unknown[],
    total: typeof body['total'] === 'number' ? body['total'] : undefined,
    next: typeof body['next'] === 'string' && body['next'] !== '' ? body['next'] : undefined,
  };
}

/** Reads every page of `first` onwards, each item checked against `schema`. */
export async function collectPages<T>(
  first: SdkPage,
  spec: PageSpec<T>,
  schema: z.ZodType<T>,
  what: string,
): Promise<T[]> {
  const guard = createPageGuard(what);
  const items: T[] = [];
  let total: number | undefined;
  for (;;) {
    const body = pageBody(first.response, spec, what);
    const found = body.items.map(item => parseSourceItem(item, schema, what));
    items.push(...found);
    total = body.total ?? total;
    checkPage(guard, spec, found, body.next);
    if (!first.hasNextPage()) {
      break;
    }
    await first.getNextPage();
  }
  if (spec.paging === 'offset' && total !== undefined) {
    guard.total(items.length, total);
  }
  return items;
}

function checkPage<T>(
  guard: PageGuard,
  spec: PageSpec<T>,
  found: readonly T[],
  next: string | undefined,
): void {
  guard.page(found.length);
  if (spec.paging === 'offset') {
    guard.ids(found.map(spec.idOf));
  } else if (next !== undefined) {
    guard.cursor(next);
  }
}
