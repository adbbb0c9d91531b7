/**
 * Key endpoints: `/key/list`, `/key/delete`, `/key/block`, `/key/unblock`
 * (reference litellm-api.md §6, §6.4 for removing every key of a user).
 */
import { SyncError } from '../../errors.js';
import type { Key, Target } from '../types.js';
import { keyDeleteResponseSchema, keyListPageSchema, objectResponseSchema, toKey } from './api.js';
import { isNoKeysFound } from './errors.js';
import { paginate } from './paginate.js';
import type { Requester } from './request.js';

/** The key half of the `Target` port. */
export type KeyOps = Pick<Target, 'listUserKeys' | 'deleteKeys' | 'blockKey' | 'unblockKey'>;

/** `/key/delete` takes a list; we keep each request to one page's worth of hashes. */
const DELETE_BATCH = 100;

/** Creates the key operations over `requester`. */
export function createKeyOps(requester: Requester): KeyOps {
  const listPages = (userId: string, signal: AbortSignal | undefined): AsyncGenerator<Key> =>
    paginate(
      async page => {
        const body = await requester.data(
          {
            method: 'GET',
            path: '/key/list',
            query: { user_id: userId, return_full_object: true, size: requester.pageSize, page },
            schema: keyListPageSchema,
          },
          signal,
        );
        return { items: body.keys.map(toKey), totalPages: body.total_pages };
      },
      requester.pageSize,
      key => key.token,
    );

  const post = async (path: string, token: string, signal?: AbortSignal): Promise<void> => {
    await requester.data(
      { method: 'POST', path, body: { key: token }, schema: objectResponseSchema },
      signal,
    );
  };

  return {
    /*
     * Every page is read before the first key is yielded: callers delete what they list, and
     * deleting while paging would shift later pages up and silently skip keys.
     */
    async *listUserKeys(userId, signal) {
      const keys: Key[] = [];
      for await (const key of listPages(userId, signal)) {
        // LiteLLM has dropped the user_id filter before (issue #32062); a foreign key here
        // must never reach a delete.
        if (key.userId !== null && key.userId !== userId) {
          throw new SyncError(
            'TARGET_INVALID_RESPONSE',
            `GET /key/list?user_id=${userId} returned a key of another user`,
            { endpoint: 'GET /key/list' },
          );
        }
        keys.push(key);
      }
      yield* keys;
    },

    async deleteKeys(tokens, signal) {
      const unique = [...new Set(tokens)];
      for (let start = 0; start < unique.length; start += DELETE_BATCH) {
        await requester.call(
          {
            method: 'POST',
            path: '/key/delete',
            body: { keys: unique.slice(start, start + DELETE_BATCH) },
            schema: keyDeleteResponseSchema,
            // 404 "No keys found": already deleted, e.g. by /team/member_delete (PR #17057).
            tolerate: isNoKeysFound,
          },
          signal,
        );
      }
    },

    blockKey: (token, signal) => post('/key/block', token, signal),
    unblockKey: (token, signal) => post('/key/unblock', token, signal),
  };
}
