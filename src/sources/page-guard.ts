/**
 * What every paged listing checks, whatever the vendor's paging scheme, so that a server that
 * misbehaves fails the read (and with it the snapshot) instead of looping or passing for
 * complete:
 *
 * - a cursor (or next link) seen twice in one listing is a loop: following it again would never
 *   end, and its items would be counted twice;
 * - an empty page that still links onwards is legal (Graph and Okta may answer short or empty
 *   pages mid-list) and is followed, but only {@link maxEmptyPagesInARow} in a row;
 * - on offset paging, an item seen twice means a page came back again (the cursor loop of a
 *   scheme without cursors);
 * - where the vendor states the list's size, a listing of another size missed or repeated items.
 *
 * A skipped page — a next link that jumps past a page — is indistinguishable from a smaller
 * directory where no size is stated; the absence-confirmation rule (DEPROVISION_CONFIRMATIONS)
 * is what keeps one such read from deprovisioning anyone.
 */
import { SyncError } from '../errors.js';

/** Empty pages followed in a row before a listing is given up as a loop. */
export const maxEmptyPagesInARow = 100;

/** The checks of one listing; create one per listing, never share it between listings. */
export type PageGuard = {
  /** Records the cursor (or link) of the next page; throws when the listing already saw it. */
  cursor(next: string): void;
  /** Records a page of `count` items; throws after too many empty pages in a row. */
  page(count: number): void;
  /** Records the ids of a page's items (offset paging); throws on an id seen before. */
  ids(ids: Iterable<string>): void;
  /** Throws unless `count` items were read when the vendor said there are `total`. */
  total(count: number, total: number): void;
};

/** Creates the guard of one listing of `endpoint` (named in every error). */
export function createPageGuard(endpoint: string): PageGuard {
  const cursors = new Set<string>();
  const seenIds = new Set<string>();
  let emptyInARow = 0;
  const fail = (message: string) =>
    new SyncError('SOURCE_INVALID_RESPONSE', `${endpoint}: ${message}; the read is incomplete`, {
      endpoint,
    });
  return {
    cursor: next => {
      if (cursors.has(next)) {
        throw fail('the server linked to a page it had already served (a paging loop)');
      }
      cursors.add(next);
    },
    page: count => {
      emptyInARow = count === 0 ? emptyInARow + 1 : 0;
      if (emptyInARow > maxEmptyPagesInARow) {
        throw fail(`more than ${maxEmptyPagesInARow} empty pages in a row`);
      }
    },
    ids: ids => {
      for (const id of ids) {
        if (seenIds.has(id)) {
          throw fail('a page repeated items of an earlier page');
        }
        seenIds.add(id);
      }
    },
    total: (count, total) => {
      if (count !== total) {
        throw fail(`read ${count} items where the server counts ${total}`);
      }
    },
  };
}
