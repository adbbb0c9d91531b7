/**
 * Seeded synthetic tenants for benchmarks: N users, M groups, K user memberships spread
 * uniformly, some nested groups (always from a later group into an earlier one, so nesting is
 * acyclic) and a few disabled users. The same spec and seed give the same tenant, ids included.
 */
import { createPrng } from '../shared/prng.js';
import type { EntraScenario } from './scenario.js';

/** What to generate. */
export type SyntheticTenantSpec = {
  users: number;
  groups: number;
  /** Direct user→group memberships (capped at users × groups). */
  memberships: number;
  /** Group→group nesting edges. @defaultValue floor(groups / 10) */
  nestedGroups?: number | undefined;
  /** Share of users with `accountEnabled: false`. @defaultValue 0.02 */
  disabledRatio?: number | undefined;
  /** Display-name prefix of groups, for `startswith` filters. @defaultValue 'ai-team-' */
  groupPrefix?: string | undefined;
  /** @defaultValue 'contoso.onmicrosoft.com' */
  domain?: string | undefined;
  /** @defaultValue 42 */
  seed?: number | undefined;
};

/**
 * Builds the scenario (load it with `loadScenario` or pass it as `scenario`).
 *
 * @example
 * const scenario = generateTenant({ users: 5000, groups: 200, memberships: 20000 });
 */
export function generateTenant(spec: SyntheticTenantSpec): EntraScenario {
  const prng = createPrng(spec.seed ?? 42);
  const domain = spec.domain ?? 'contoso.onmicrosoft.com';
  const disabledRatio = spec.disabledRatio ?? 0.02;
  const users = Array.from({ length: spec.users }, (_, i) => {
    const n = String(i + 1).padStart(6, '0');
    return {
      id: prng.guid(),
      displayName: `User ${n}`,
      givenName: 'User',
      surname: n,
      userPrincipalName: `user${n}@${domain}`,
      mail: `user${n}@${domain}`,
      accountEnabled: prng.next() >= disabledRatio,
    };
  });
  const groups = Array.from({ length: spec.groups }, (_, i) => ({
    id: prng.guid(),
    displayName: `${spec.groupPrefix ?? 'ai-team-'}${String(i + 1).padStart(4, '0')}`,
    members: [] as string[],
  }));
  const wanted = Math.min(spec.memberships, spec.users * spec.groups);
  const seen = new Set<string>();
  while (seen.size < wanted) {
    const g = prng.int(spec.groups);
    const u = prng.int(spec.users);
    const key = `${g}:${u}`;
    if (!seen.has(key)) {
      seen.add(key);
      groups[g]?.members.push(users[u]?.id ?? '');
    }
  }
  const nested = Math.min(spec.nestedGroups ?? Math.floor(spec.groups / 10), spec.groups - 1);
  const nestedSeen = new Set<string>();
  for (let attempts = 0; nestedSeen.size < nested && attempts < nested * 20; attempts += 1) {
    const child = 1 + prng.int(spec.groups - 1);
    const parent = prng.int(child);
    const key = `${parent}:${child}`;
    if (!nestedSeen.has(key)) {
      nestedSeen.add(key);
      groups[parent]?.members.push(groups[child]?.id ?? '');
    }
  }
  return { users, groups, servicePrincipals: [] };
}
