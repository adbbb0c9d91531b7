/**
 * Delta rounds over `/users/delta` and `/groups/delta` (with `members`): start tracking from
 * now, follow a stored round to its new delta link, and recognise a token Graph no longer honours.
 *
 * @see https://learn.microsoft.com/graph/delta-query-overview
 * @see https://learn.microsoft.com/graph/delta-query-groups
 */
import { SyncError } from '../../errors.js';
import { deltaGroupSchema, deltaUserSchema, groupDeltaSelect, userSelect } from './api.js';
import { graphCodeOf, type Graph, type GraphRequestOptions } from './graph.js';
import type { DeltaLinks, DeltaRound } from './mirror.js';

/** The first request of each round kind; its `$select` is encoded into every later link. */
const start = {
  users: `/users/delta?$select=${userSelect}`,
  groups: `/groups/delta?$select=${groupDeltaSelect}`,
} as const;

/**
 * Links that start tracking now, without reading any data ("sync from now",
 * `$deltatoken=latest`). Taken before a full read, so what changes during it is replayed.
 */
export async function latestDeltaLinks(
  graph: Graph,
  options: GraphRequestOptions,
): Promise<DeltaLinks> {
  const [users, groups] = await Promise.all([
    graph.readAll(`${start.users}&$deltatoken=latest`, deltaUserSchema, options),
    graph.readAll(`${start.groups}&$deltatoken=latest`, deltaGroupSchema, options),
  ]);
  return {
    users: requireLink(users.deltaLink, start.users),
    groups: requireLink(groups.deltaLink, start.groups),
  };
}

/**
 * Follows both stored links to the end of their rounds. The changes come back in Graph's order
 * (a large group's members arrive as several entries of the same group, on several pages).
 *
 * @throws SyncError; {@link isResyncRequired} says whether a full read is the answer
 */
export async function readDeltaRound(
  graph: Graph,
  links: DeltaLinks,
  options: GraphRequestOptions,
): Promise<Omit<DeltaRound, 'appGroupIds'>> {
  const [users, groups] = await Promise.all([
    graph.readAll(links.users, deltaUserSchema, options),
    graph.readAll(links.groups, deltaGroupSchema, options),
  ]);
  return {
    users: users.items,
    groups: groups.items,
    links: {
      users: requireLink(users.deltaLink, start.users),
      groups: requireLink(groups.deltaLink, start.groups),
    },
  };
}

/**
 * True when Graph says the token is no good: `410 Gone` (a resync, e.g. after tenant
 * maintenance) or a 4xx with a sync-state code such as `syncStateNotFound` (expired token).
 */
export function isResyncRequired(error: unknown): boolean {
  if (!(error instanceof SyncError) || error.status === undefined) {
    return false;
  }
  if (error.status === 410) {
    return true;
  }
  const code = graphCodeOf(error) ?? '';
  return error.status >= 400 && error.status < 500 && /syncState|resync/i.test(code);
}

function requireLink(link: string | undefined, what: string): string {
  if (link === undefined) {
    throw new SyncError(
      'SOURCE_INVALID_RESPONSE',
      `${what}: the delta round ended without a deltaLink`,
    );
  }
  return link;
}
