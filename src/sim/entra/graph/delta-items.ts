/**
 * What one delta round reports, before paging: the initial round lists every live object (groups
 * with their current members in `members@delta`); later rounds replay the change log between the
 * two sequence numbers and report each changed object once, with `@removed` for deletions
 * (`changed` = soft-deleted, `deleted` = gone) and member additions/removals in `members@delta`.
 *
 * @see /work/shared/reference/idp-apis.md §A "Delta query details"
 */
import type { Change } from '../directory/change-log.js';
import { directMembers, groupIds, userIds, type DirectoryState } from '../directory/state.js';
import type { MemberType } from '../model.js';
import { GROUP_DEFAULT, groupRecord, project, USER_DEFAULT, userRecord } from './serialize.js';

/** One `members@delta` entry. */
export type MemberEntry = { id: string; type: MemberType; removed: boolean };

/**
 * One object of a round; `members` null means "no `members@delta` on this object". Both are
 * computed only when the object lands on a page: a round over a big tenant is assembled again
 * for every page request.
 */
export type DeltaItem = {
  id: string;
  body: () => Record<string, unknown>;
  members: () => MemberEntry[] | null;
};

/** What a round is about. */
export type Round = {
  resource: 'users' | 'groups';
  /** Sequence number the previous round ended at; null for the initial round. */
  from: number | null;
  to: number;
  /** `$select` of the initial request (may include `members` for groups). */
  select: string[] | null;
  /** `$filter=id eq …` scope, or null for all objects. */
  ids: string[] | null;
  /** `Prefer: return=minimal`: only changed properties on later rounds. */
  minimal: boolean;
};

type Pending = { props: Set<string>; members: Map<string, { type: MemberType; removed: boolean }> };

function removed(id: string, reason: 'changed' | 'deleted'): DeltaItem {
  return { id, body: () => ({ id, '@removed': { reason } }), members: () => null };
}

/** Properties of `record` to report: selected (or default) ones, or only changed ones. */
function body(
  record: Record<string, unknown>,
  round: Round,
  defaults: readonly string[],
  changed: Set<string> | null,
): Record<string, unknown> {
  const selected = round.select?.filter(p => p !== 'members') ?? [...defaults];
  const keys =
    changed && round.minimal && !changed.has('*') ? selected.filter(p => changed.has(p)) : selected;
  // The id is always returned by delta, selected or not (group-delta.md).
  return { ...project(record, keys, defaults), id: record['id'] };
}

function collect(changes: readonly Change[]): Map<string, Pending> {
  const pending = new Map<string, Pending>();
  const entry = (id: string): Pending => {
    const found = pending.get(id) ?? { props: new Set<string>(), members: new Map() };
    pending.set(id, found);
    return found;
  };
  for (const change of changes) {
    if (change.kind === 'member') {
      entry(`members:${change.groupId}`).members.set(change.memberId, {
        type: change.memberType,
        removed: change.removed,
      });
    } else {
      change.props.forEach(p => entry(`${change.kind}:${change.id}`).props.add(p));
    }
  }
  return pending;
}

/** First index whose id is at least `from` (ids sorted). */
function lowerBound(ids: readonly string[], from: string): number {
  let low = 0;
  let high = ids.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((ids[mid] ?? '') < from) {
      low = mid + 1;
    } else {
      high = mid;
    }
  }
  return low;
}

/** The live objects from id `from` on (keyset: a page never scans the whole tenant). */
function* initialItems(state: DirectoryState, round: Round, from: string): Generator<DeltaItem> {
  const ids = round.resource === 'users' ? userIds(state, false) : groupIds(state, false);
  const tracksMembers = round.select === null || round.select.includes('members');
  for (let i = lowerBound(ids, from); i < ids.length; i += 1) {
    const id = ids[i] ?? '';
    const user = round.resource === 'users' ? state.users.get(id) : undefined;
    const group = round.resource === 'groups' ? state.groups.get(id) : undefined;
    if ((round.ids !== null && !round.ids.includes(id)) || (!user && !group)) {
      continue;
    }
    yield {
      id,
      body: () =>
        user
          ? body(userRecord(user), round, USER_DEFAULT, null)
          : body(group ? groupRecord(group) : { id }, round, GROUP_DEFAULT, null),
      members: () => {
        const members = group && tracksMembers ? directMembers(state, id) : [];
        return members.length > 0 ? members.map(m => ({ ...m, removed: false })) : null;
      },
    };
  }
}

function tracks(round: Round, props: Set<string>): boolean {
  const selected = round.select?.filter(p => p !== 'members');
  return props.has('*') || selected === undefined || selected.some(p => props.has(p));
}

/** The round's objects with ids from `from` on, ordered by id, produced lazily. */
export function* deltaItems(
  state: DirectoryState,
  changes: readonly Change[],
  round: Round,
  from: string,
): Generator<DeltaItem> {
  if (round.from === null) {
    yield* initialItems(state, round, from);
    return;
  }
  const pending = collect(changes);
  const prefix = round.resource === 'users' ? 'user:' : 'group:';
  const ids = new Set<string>();
  for (const [key, value] of pending) {
    if (key.startsWith(prefix) && value.props.size > 0) {
      ids.add(key.slice(prefix.length));
    }
  }
  const tracksMembers =
    round.resource === 'groups' && (round.select === null || round.select.includes('members'));
  if (tracksMembers) {
    for (const [key, value] of pending) {
      if (key.startsWith('members:') && value.members.size > 0) {
        ids.add(key.slice('members:'.length));
      }
    }
  }
  for (const id of [...ids].sort()) {
    if (id < from || (round.ids !== null && !round.ids.includes(id))) {
      continue;
    }
    const object = round.resource === 'users' ? state.users.get(id) : state.groups.get(id);
    if (!object) {
      yield removed(id, 'deleted');
      continue;
    }
    if (object.deletedDateTime !== null) {
      yield removed(id, 'changed');
      continue;
    }
    const props = pending.get(`${prefix}${id}`)?.props ?? new Set<string>();
    const noMembers: Pending['members'] = new Map();
    const memberChanges = tracksMembers
      ? (pending.get(`members:${id}`)?.members ?? noMembers)
      : noMembers;
    if (memberChanges.size === 0 && !tracks(round, props)) {
      continue; // only unselected properties changed: not reported (delta-query-overview.md)
    }
    const record = 'userPrincipalName' in object ? userRecord(object) : groupRecord(object);
    const defaults = round.resource === 'users' ? USER_DEFAULT : GROUP_DEFAULT;
    const members = [...memberChanges.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([memberId, m]) => ({ id: memberId, type: m.type, removed: m.removed }));
    yield {
      id,
      body: () => body(record, round, defaults, props),
      members: () => (members.length > 0 ? members : null),
    };
  }
}
