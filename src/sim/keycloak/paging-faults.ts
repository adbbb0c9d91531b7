/**
 * Keycloak's offset paging as the paging-fault layer sees it: `first` and `max` in the request,
 * a bare JSON array in the answer, and nothing else (no total, no next link).
 */
import type { OffsetPaging } from '../shared/paging-faults.js';
import { withParam } from '../shared/paging-params.js';

/** Paging of the admin lists (users, groups, children, members, a user's groups). */
export const keycloakPaging: OffsetPaging = {
  scheme: 'offset',
  positionOf: url => {
    const { searchParams: query } = url;
    if (!query.has('first') && !query.has('max')) {
      return undefined;
    }
    const first = Number(query.get('first') ?? 0);
    const max = Number(query.get('max') ?? 100);
    const valid = Number.isInteger(first) && Number.isInteger(max) && first >= 0 && max > 0;
    return valid ? { offset: first, step: max } : undefined;
  },
  withOffset: (url, offset) => withParam(url, 'first', String(offset)),
  isPage: answer => answer.status === 200 && Array.isArray(answer.body),
  emptied: answer => ({ ...answer, body: [] }),
};
