/**
 * Graph and mirror shapes → the shared model. Pure: no I/O, no logging.
 */
import type { IdpGroup, IdpGroupRef, IdpUser } from '../../model.js';
import { flattenMembers } from '../flatten.js';
import type { GraphGroup, GraphUser } from './api.js';
import type { MirrorUser, MirrorView } from './mirror.js';

/** A user as read from `/users`, in mirror form. */
export function toMirrorUser(user: GraphUser): MirrorUser {
  return {
    id: user.id,
    upn: user.userPrincipalName,
    mail: user.mail ?? null,
    displayName: user.displayName ?? null,
    accountEnabled: user.accountEnabled,
  };
}

/**
 * The model user. The object id is the external id (it is the `oid` claim of a sign-in); the
 * e-mail is `mail`, else the UPN as LiteLLM's own Microsoft SSO does, except for a guest's
 * `…#EXT#@…` UPN, which is no address.
 */
export function toIdpUser(user: MirrorUser): IdpUser {
  const upnAsMail = user.upn.includes('@') && !user.upn.includes('#EXT#') ? user.upn : undefined;
  return {
    externalId: user.id,
    login: user.upn === '' ? user.id : user.upn,
    email: user.mail ?? upnAsMail,
    displayName: user.displayName ?? undefined,
    active: user.accountEnabled,
  };
}

/** A group reference for a per-user read. */
export function toGroupRef(group: GraphGroup): IdpGroupRef {
  return { externalId: group.id, name: group.displayName ?? group.id };
}

/** What {@link selectGroups} found. */
export type Selection = {
  readonly groups: readonly IdpGroup[];
  /** Groups that contain each other (legal in Entra; worth a warning). */
  readonly cycles: readonly (readonly string[])[];
};

/**
 * The in-scope groups of the mirror with members flattened through nested groups. Only the
 * selected groups and what they reach are flattened; members are users the mirror has (a
 * deleted user's stale edge is dropped, and comes back if the user is restored).
 */
export function selectGroups(
  mirror: MirrorView,
  select: (group: { externalId: string; name: string }) => boolean,
): Selection {
  const nameOf = (id: string) => mirror.groups.get(id)?.displayName || id;
  const selected = [...mirror.groups.values()]
    .filter(group => select({ externalId: group.id, name: nameOf(group.id) }))
    .map(group => group.id);
  const reached = new Set(selected);
  const queue = [...selected];
  for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
    for (const child of mirror.groups.get(id)?.groups ?? []) {
      if (!reached.has(child) && mirror.groups.has(child)) {
        reached.add(child);
        queue.push(child);
      }
    }
  }
  const flat = flattenMembers(
    [...reached].flatMap(id => {
      const group = mirror.groups.get(id);
      return group === undefined
        ? []
        : [
            {
              externalId: id,
              name: nameOf(id),
              userIds: group.users.filter(user => mirror.users.has(user)),
              groupIds: group.groups.filter(child => reached.has(child)),
            },
          ];
    }),
  );
  const wanted = new Set(selected);
  return {
    groups: flat.groups.filter(group => wanted.has(group.externalId)),
    cycles: flat.problems.flatMap(problem => (problem.kind === 'cycle' ? [problem.groupIds] : [])),
  };
}
