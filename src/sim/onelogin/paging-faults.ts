/**
 * OneLogin's v2 cursor paging as the paging-fault layer sees it: `cursor` in the request, the
 * next page's cursor in the `After-Cursor` header, a bare JSON array of items.
 */
import type { CursorPaging } from '../shared/paging-faults.js';
import { withParam } from '../shared/paging-params.js';

/** Paging of every v2 list (`GET /api/2/users`, `/roles`, `/roles/{id}/users`, …). */
export const oneloginPaging: CursorPaging = {
  scheme: 'cursor',
  sizeParam: 'limit',
  cursorOf: url => url.searchParams.get('cursor') ?? undefined,
  withCursor: (url, cursor) => withParam(url, 'cursor', cursor),
  nextOf: answer => {
    if (answer.status !== 200 || !Array.isArray(answer.body)) {
      return null;
    }
    const next = answer.headers?.['after-cursor'];
    return typeof next === 'string' ? next : undefined;
  },
  linkTo: (answer, cursor) => ({
    ...answer,
    headers: { ...answer.headers, 'after-cursor': cursor },
  }),
  // `Total-Count` stays: the account did not shrink, only this page came back empty.
  emptied: answer => ({ ...answer, body: [] }),
};
