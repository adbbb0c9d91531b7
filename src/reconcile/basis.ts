import { createHash, type Hash } from 'node:crypto';

import type { Snapshot } from '../model.js';
import type { Ownership, Suspension } from '../store/types.js';
import type { Team, User } from '../target/types.js';
import { stableJson } from './stable-json.js';

/**
 * What a full plan was computed from, as fingerprints: the IdP snapshot, LiteLLM's teams and
 * users, and the store's records the planner reads (ownership, grants, suspensions). Absence
 * counts are left out: they count observations (every complete run, even a refused one, advances
 * them), and where a count changes what is planned, the operations differ and that is drift.
 */
export type PlanBasis = {
  /** `sha256:` over the three parts. */
  readonly fingerprint: string;
  readonly parts: {
    readonly idp: string;
    readonly litellm: string;
    readonly store: string;
  };
};

/** The planner inputs a basis covers. */
export type BasisInput = {
  readonly snapshot: Snapshot;
  readonly teams: ReadonlyMap<string, Team>;
  readonly users: readonly User[];
  readonly ownership: Ownership;
  readonly suspensions: ReadonlyMap<string, Suspension>;
};

/** Fingerprints the inputs, order-independently (lists are sorted by id first). Pure. */
export function planBasis(input: BasisInput): PlanBasis {
  const idp = digest(hash => {
    hash.update(stableJson({ complete: input.snapshot.complete }));
    for (const user of sortedBy([...input.snapshot.users.values()], u => u.externalId)) {
      hash.update(stableJson(user));
    }
    for (const group of sortedBy(input.snapshot.groups, g => g.externalId)) {
      hash.update(stableJson({ ...group, memberIds: [...group.memberIds].sort() }));
    }
  });
  const litellm = digest(hash => {
    for (const team of sortedBy([...input.teams.values()], t => t.teamId)) {
      const members = sortedBy(team.members, m => m.userId ?? '');
      hash.update(stableJson({ ...team, members }));
    }
    for (const user of sortedBy(input.users, u => u.userId)) {
      hash.update(stableJson({ ...user, teams: [...user.teams].sort() }));
    }
  });
  const store = digest(hash => {
    for (const part of [input.ownership.teams, input.ownership.users, input.ownership.grants]) {
      hash.update(stableJson(sortedBy([...part], ([key]) => key)));
    }
    hash.update(stableJson(sortedBy([...input.suspensions], ([key]) => key)));
  });
  const fingerprint = `sha256:${digest(hash => hash.update(`${idp}\n${litellm}\n${store}`))}`;
  return { fingerprint, parts: { idp, litellm, store } };
}

/** What differs between two bases, in words; empty when they are the same. */
export function basisChanges(planned: PlanBasis, fresh: PlanBasis): string[] {
  const labels = {
    idp: 'the IdP directory',
    litellm: "LiteLLM's teams or users",
    store: "the store's ownership, grants or suspensions",
  } as const;
  return (Object.keys(labels) as (keyof typeof labels)[])
    .filter(part => planned.parts[part] !== fresh.parts[part])
    .map(part => labels[part]);
}

function digest(feed: (hash: Hash) => void): string {
  const hash = createHash('sha256');
  feed(hash);
  return hash.digest('hex');
}

function sortedBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  return [...items].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}
