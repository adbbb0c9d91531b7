/**
 * The Directory API's paging as the paging-fault layer sees it: `pageToken` in the request,
 * `nextPageToken` in a list body whose `kind` is plural (`admin#directory#users`), and the item
 * field left out altogether when a page is empty, as Google does.
 */
import type { CursorPaging } from '../shared/paging-faults.js';
import { withParam } from '../shared/paging-params.js';

const listKeys = ['users', 'groups', 'members'];

function isList(body: unknown): body is Record<string, unknown> {
  if (typeof body !== 'object' || body === null) {
    return false;
  }
  const kind = (body as { kind?: unknown }).kind;
  return typeof kind === 'string' && listKeys.some(key => kind === `admin#directory#${key}`);
}

/** Paging of the users, groups and members lists. */
export const googlePaging: CursorPaging = {
  scheme: 'cursor',
  sizeParam: 'maxResults',
  cursorOf: url => url.searchParams.get('pageToken') ?? undefined,
  withCursor: (url, cursor) => withParam(url, 'pageToken', cursor),
  nextOf: answer => {
    if (answer.status !== 200 || !isList(answer.body)) {
      return null;
    }
    const next = answer.body['nextPageToken'];
    return typeof next === 'string' ? next : undefined;
  },
  linkTo: (answer, cursor) => ({
    ...answer,
    body: { ...(answer.body as Record<string, unknown>), nextPageToken: cursor },
  }),
  emptied: answer => {
    const body = { ...(answer.body as Record<string, unknown>) };
    listKeys.forEach(key => delete body[key]);
    return { ...answer, body };
  },
};
