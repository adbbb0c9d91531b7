import { grantKey, type Grant } from './types.js';

/** The part of a grant many share: one object per distinct source and role. */
type Terms = { readonly source: string; readonly role: string };

/**
 * Grants as a `ReadonlyMap` keyed by {@link grantKey}, held as team → user → shared terms. A plain
 * map kept a composite key string and a grant object per grant: at L (543,000 grants) ~170 MB
 * of the no-op run's heap. Here a grant costs one inner map entry; the grant objects and keys the
 * map hands out are made when asked for (iteration makes short-lived ones).
 */
export function createGrantMap(grants: Iterable<Grant>): ReadonlyMap<string, Grant> {
  const byTeam = new Map<string, Map<string, Terms>>();
  const terms = new Map<string, Terms>();
  let size = 0;
  for (const grant of grants) {
    const termsKey = grantKey(grant.source, grant.role);
    let shared = terms.get(termsKey);
    if (shared === undefined) {
      shared = { source: grant.source, role: grant.role };
      terms.set(termsKey, shared);
    }
    let users = byTeam.get(grant.teamId);
    if (users === undefined) {
      users = new Map();
      byTeam.set(grant.teamId, users);
    }
    if (!users.has(grant.userId)) {
      size += 1;
    }
    users.set(grant.userId, shared);
  }
  return grantMapView(byTeam, size);
}

/** Splits a {@link grantKey} back into team and user (the separator appears in neither). */
function splitKey(key: string): [string, string] | undefined {
  const at = key.indexOf('\u0000');
  return at < 0 ? undefined : [key.slice(0, at), key.slice(at + 1)];
}

function grantMapView(
  byTeam: ReadonlyMap<string, ReadonlyMap<string, Terms>>,
  size: number,
): ReadonlyMap<string, Grant> {
  function* values(): MapIterator<Grant> {
    for (const [teamId, users] of byTeam) {
      for (const [userId, terms] of users) {
        yield { teamId, userId, ...terms };
      }
    }
  }
  function* entries(): MapIterator<[string, Grant]> {
    for (const grant of values()) {
      yield [grantKey(grant.teamId, grant.userId), grant];
    }
  }
  function* keys(): MapIterator<string> {
    for (const [key] of entries()) {
      yield key;
    }
  }
  const view: ReadonlyMap<string, Grant> = {
    size,
    get(key) {
      const parts = splitKey(key);
      const found = parts === undefined ? undefined : byTeam.get(parts[0])?.get(parts[1]);
      return parts === undefined || found === undefined
        ? undefined
        : { teamId: parts[0], userId: parts[1], ...found };
    },
    has(key) {
      const parts = splitKey(key);
      return parts !== undefined && byTeam.get(parts[0])?.has(parts[1]) === true;
    },
    values,
    entries,
    keys,
    [Symbol.iterator]: entries,
    forEach(fn) {
      for (const [key, grant] of entries()) {
        fn(grant, key, view);
      }
    },
  };
  return view;
}
