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
    }
  | {
      /** Store only: a managed user already gone from LiteLLM whom the IdP no longer backs. */
      readonly kind: 'forgetUser';
      readonly userId: string;
    };

export type OperationKind = Operation['kind'];

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
  forgetUser: 5,
};

/** Operations that take something away from someone: never planned from an incomplete read. */
export const removalKinds: ReadonlySet<OperationKind> = new Set(['removeMember', 'deprovisionUser']);

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
      return `user ${op.userId} (${op.reason})`;
  }
}
