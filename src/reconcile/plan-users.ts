import type { IdpGroup, IdpUser } from '../model.js';
import type { Ownership } from '../store/types.js';
import type { User, UserRole } from '../target/types.js';
import {
  desiredRole,
  litellmUserId,
  managedMarker,
  shouldChangeRole,
  type MappingRules,
} from './mapping.js';
import { matchUser, normaliseEmail, type UserIndex } from './match-user.js';
import type { Operation } from './operations.js';
import { markerSource } from './plan-teams.js';

/** The result of resolving in-scope IdP users to LiteLLM users. */
export type UserResolution = {
  readonly operations: Operation[];
  /** IdP external id → LiteLLM user_id, for every user who may be given memberships. */
  readonly resolved: ReadonlyMap<string, string>;
};

/**
 * Creates, adopts or updates the LiteLLM user of every active IdP user in at least one in-scope
 * group. A managed user keeps the `user_id` it was given, even if the IdP attribute it came
 * from changed since.
 */
export function planUsers(
  source: string,
  inScope: ReadonlyMap<string, readonly IdpGroup[]>,
  users: ReadonlyMap<string, IdpUser>,
  index: UserIndex,
  ownership: Ownership,
  rules: MappingRules,
  warn: (message: string) => void,
): UserResolution {
  const managedByExternalId = new Map<string, string>();
  for (const managed of ownership.users.values()) {
    managedByExternalId.set(managed.externalId, managed.userId);
  }
  const operations: Operation[] = [];
  const resolved = new Map<string, string>();
  // Without role rules every user gets the default role: worked out once, not per user.
  const noRoleRules = rules.userRoleRules.length === 0;
  const defaultRole = desiredRole(rules, []);
  for (const [externalId, groups] of inScope) {
    const user = users.get(externalId);
    if (user === undefined || !user.active) {
      continue;
    }
    const role = noRoleRules ? defaultRole : desiredRole(rules, groups);
    const email = user.email ?? null;
    const managedId = managedByExternalId.get(externalId);
    if (managedId !== undefined) {
      resolved.set(externalId, managedId);
      const existing = index.byId.get(managedId);
      if (existing === undefined) {
        operations.push(createUser(managedId, user, role.role));
      } else {
        operations.push(...updateUser(existing, user, role));
      }
      continue;
    }
    const match = matchUser(index, {
      userId: litellmUserId(user, rules.userIdAttribute),
      externalId,
      email,
    });
    if (match.kind === 'ambiguous') {
      warn(
        `user ${externalId}: ${match.count} LiteLLM users share the e-mail ${match.email}; not matched, not created`,
      );
      continue;
    }
    if (match.kind === 'none') {
      const userId = litellmUserId(user, rules.userIdAttribute);
      resolved.set(externalId, userId);
      operations.push(createUser(userId, user, role.role));
      continue;
    }
    const owner = markerSource(match.user.metadata);
    if (owner !== undefined && owner !== source) {
      warn(`user ${match.user.userId} is managed by source ${owner}; left alone`);
      continue;
    }
    resolved.set(externalId, match.user.userId);
    operations.push(
      {
        kind: 'adoptUser',
        userId: match.user.userId,
        externalId,
        matchedBy: match.by,
        email,
        metadata: { ...match.user.metadata, idp_sync: managedMarker(source, externalId) },
      },
      ...updateUser(match.user, user, role),
    );
  }
  return { operations, resolved };
}

function createUser(userId: string, user: IdpUser, role: UserRole): Operation {
  return {
    kind: 'createUser',
    userId,
    externalId: user.externalId,
    email: user.email ?? null,
    alias: user.displayName ?? null,
    role,
  };
}

function updateUser(
  existing: User,
  user: IdpUser,
  role: ReturnType<typeof desiredRole>,
): Operation[] {
  const emailChanged =
    user.email !== undefined &&
    (existing.email === null || normaliseEmail(existing.email) !== normaliseEmail(user.email));
  const roleChanged = shouldChangeRole(existing.role, role);
  if (!emailChanged && !roleChanged) {
    return [];
  }
  return [
    {
      kind: 'updateUser',
      userId: existing.userId,
      externalId: user.externalId,
      email: emailChanged ? user.email : undefined,
      role: roleChanged ? role.role : undefined,
    },
  ];
}
