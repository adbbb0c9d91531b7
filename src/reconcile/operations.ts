import type { TeamRole, TeamSettings, UserRole } from '../target/types.js';

/**
 * One write the engine intends to make. Plain JSON data: it is stored before it is applied,
 * printed by `plan`, and executed by `apply.ts`.
 */
export type Operation =
  | {
      readonly kind: 'createTeam';
      readonly teamId: string;
      readonly alias: string;
      readonly externalId: string;
      readonly settings?: TeamSettings | undefined;
    }
  | {
      /** Take over an existing team whose `team_id` is the group's id (e.g. made by LiteLLM SSO). */
      readonly kind: 'adoptTeam';
      readonly teamId: string;
      readonly alias: string;
      readonly externalId: string;
      readonly metadata: Readonly<Record<string, unknown>>;
      /** Also unblock it (a team this worker blocked when its group went away, now back). */
      readonly unblock?: true | undefined;
    }
  | {
      readonly kind: 'renameTeam';
      readonly teamId: string;
      readonly externalId: string;
      readonly from: string | null;
      readonly to: string;
    }
  | {
      readonly kind: 'createUser';
      readonly userId: string;
      readonly externalId: string;
      readonly email: string | null;
      readonly alias: string | null;
      readonly role: UserRole;
    }
  | {
      readonly kind: 'adoptUser';
      readonly userId: string;
      readonly externalId: string;
      readonly matchedBy: 'user_id' | 'sso_user_id' | 'email';
      readonly email: string | null;
      readonly metadata: Readonly<Record<string, unknown>>;
    }
  | {
      readonly kind: 'updateUser';
      readonly userId: string;
      readonly externalId: string;
      readonly email?: string | undefined;
      readonly role?: UserRole | undefined;
    }
  | {
      readonly kind: 'addMembers';
      readonly teamId: string;
      readonly members: readonly { readonly userId: string; readonly role: TeamRole }[];
    }
  | { readonly kind: 'removeMember'; readonly teamId: string; readonly userId: string }
  | {
      /** Store only: a grant whose membership is already gone from LiteLLM. */
      readonly kind: 'forgetGrant';
      readonly teamId: string;
      readonly userId: string;
    }
  | {
      readonly kind: 'deprovisionUser';
      readonly userId: string;
      readonly externalId: string;
      readonly reason: DeprovisionReason;
      /** Teams the user is a member of, from LiteLLM's own records. */
      readonly teams: readonly string[];
      /** Set when this ends a block-mode suspension whose grace has run out. */
      readonly afterGrace?: true | undefined;
    }
  | {
      /**
       * Block mode: block every key of the user not already blocked (access ends now), record
       * those keys, and delete the user once `deleteAfter` (ms since the epoch) has passed.
       */
      readonly kind: 'suspendUser';
      readonly userId: string;
      readonly externalId: string;
      readonly reason: DeprovisionReason;
      readonly deleteAfter: number;
    }
  | {
      /** A suspended user came back within the grace: unblock only the keys this worker blocked. */
      readonly kind: 'restoreUser';
      readonly userId: string;
      readonly externalId: string;
      readonly tokens: readonly string[];
    }
  | {
      /** The group of a managed team was deleted or left the scope (ON_GROUP_REMOVED). */
      readonly kind: 'retireTeam';
      readonly teamId: string;
      readonly externalId: string;
      readonly action: GroupRemovedAction;
      /** The team's metadata with the orphan mark (keep, block). */
      readonly metadata: Readonly<Record<string, unknown>>;
    }
  | {
      /** Store only: a managed user already gone from LiteLLM whom the IdP no longer backs. */
      readonly kind: 'forgetUser';
      readonly userId: string;
    };

export type OperationKind = Operation['kind'];

/** What happens to a managed team whose group is gone from the IdP or the scope. */
export type GroupRemovedAction = 'keep' | 'block' | 'delete';

/** Why a managed user is deprovisioned. */
export type DeprovisionReason = 'deleted' | 'disabled' | 'out_of_scope';

/** The order of the apply phases: everything a later phase needs exists before it runs. */
export const operationPhase: Readonly<Record<OperationKind, number>> = {
  createTeam: 1,
  adoptTeam: 1,
  renameTeam: 1,
  createUser: 2,
  adoptUser: 2,
  updateUser: 2,
  addMembers: 3,
  removeMember: 4,
  forgetGrant: 4,
  deprovisionUser: 5,
  suspendUser: 5,
  restoreUser: 2,
  forgetUser: 5,
  retireTeam: 6,
};

/** Operations that take something away from someone: never planned from an incomplete read. */
export const removalKinds: ReadonlySet<OperationKind> = new Set([
  'removeMember',
  'deprovisionUser',
  'suspendUser',
  'retireTeam',
]);

/** A short human-readable name of what the operation touches, for tables and the run log. */
export function operationSubject(op: Operation): string {
  switch (op.kind) {
    case 'createTeam':
    case 'adoptTeam':
      return `team ${op.teamId} (${op.alias})`;
    case 'renameTeam':
      return `team ${op.teamId} (${op.from ?? '∅'} → ${op.to})`;
    case 'createUser':
    case 'adoptUser':
    case 'updateUser':
    case 'forgetUser':
      return `user ${op.userId}`;
    case 'addMembers':
      return `team ${op.teamId} += ${op.members.map(m => m.userId).join(', ')}`;
    case 'removeMember':
    case 'forgetGrant':
      return `team ${op.teamId} -= ${op.userId}`;
    case 'deprovisionUser':
      return `user ${op.userId} (${op.reason}${op.afterGrace === true ? ', grace over' : ''})`;
    case 'suspendUser':
      return `user ${op.userId} (${op.reason}, delete after ${new Date(op.deleteAfter).toISOString()})`;
    case 'restoreUser':
      return `user ${op.userId} (back: unblock ${op.tokens.length} key(s))`;
    case 'retireTeam':
      return `team ${op.teamId} (group removed: ${op.action})`;
  }
}
