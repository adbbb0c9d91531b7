import type { RunTrigger, Store } from '../store/types.js';
import type { Team, User } from '../target/types.js';
import type { OperationDetail } from './execute.js';
import { operationSubject, type Operation } from './operations.js';

/** What a run read of LiteLLM: the "before" of every audit entry comes from it. */
export type ReadState = {
  readonly teams: ReadonlyMap<string, Team>;
  readonly users: readonly User[];
};

/** Who and what a run's audit entries are attributed to. */
export type AuditContext = {
  readonly trigger: RunTrigger;
  readonly actor?: string | undefined;
  readonly state: ReadState;
};

/** The audit-relevant view of one operation: before, after and the users it touched. */
export type AuditView = {
  readonly before: unknown;
  readonly after: unknown;
  readonly users: readonly string[];
};

/**
 * Describes an operation for the audit log. `before` is what LiteLLM had for the object in the
 * state the run read (`null`: it did not exist there); `after` is the operation (what it set), with
 * what execution reported (keys deleted, blocked, …). Pure. `usersById` indexes `state.users`
 * (built once per run by {@link createAuditRecorder}; per operation it cost O(users) each time).
 */
export function auditView(
  op: Operation,
  state: ReadState,
  detail: OperationDetail | undefined,
  usersById: ReadonlyMap<string, User> = indexUsers(state),
): AuditView {
  const after = detail === undefined || Object.keys(detail).length === 0 ? op : { ...op, detail };
  const touched = (ids: readonly string[], emails: readonly (string | null | undefined)[] = []) => {
    const found = new Set<string>();
    const add = (value: string | null | undefined): void => {
      if (typeof value === 'string' && value !== '') {
        found.add(value);
        if (value.includes('@')) {
          found.add(value.toLowerCase());
        }
      }
    };
    for (const id of ids) {
      add(id);
      add(usersById.get(id)?.email);
    }
    emails.forEach(add);
    return [...found];
  };
  switch (op.kind) {
    case 'createTeam':
    case 'adoptTeam':
    case 'renameTeam':
    case 'retireTeam':
      return { before: teamView(state.teams.get(op.teamId)), after, users: [] };
    case 'createUser':
    case 'adoptUser':
    case 'updateUser':
      return {
        before: userView(usersById.get(op.userId)),
        after,
        users: touched([op.userId], [op.email]),
      };
    case 'deprovisionUser':
    case 'suspendUser':
    case 'restoreUser':
    case 'forgetUser':
      return { before: userView(usersById.get(op.userId)), after, users: touched([op.userId]) };
    case 'addMembers': {
      const ids = op.members.map(m => m.userId);
      return { before: membersView(state.teams.get(op.teamId), ids), after, users: touched(ids) };
    }
    case 'removeMember':
    case 'forgetGrant':
      return {
        before: membersView(state.teams.get(op.teamId), [op.userId]),
        after,
        users: touched([op.userId]),
      };
  }
}

function teamView(team: Team | undefined): unknown {
  if (team === undefined) {
    return null;
  }
  // Members are left out: a team's roster can be large, and member changes have their own entries.
  return {
    teamId: team.teamId,
    alias: team.alias,
    blocked: team.blocked,
    metadata: team.metadata,
    memberCount: team.members.length,
  };
}

function userView(user: User | undefined): unknown {
  return user ?? null;
}

/** The team's membership of these users before the write (null when they were not members). */
function membersView(team: Team | undefined, userIds: readonly string[]): unknown {
  if (team === undefined) {
    return null;
  }
  return {
    teamId: team.teamId,
    members: Object.fromEntries(
      userIds.map(id => {
        const member = team.members.find(m => m.userId === id);
        return [id, member === undefined ? null : { role: member.role }];
      }),
    ),
  };
}

function indexUsers(state: ReadState): Map<string, User> {
  return new Map(state.users.map(u => [u.userId, u]));
}

/** One outcome as the audit log sees it. */
export type AuditedOutcome = {
  readonly seq: number;
  readonly op: Operation;
  readonly detail?: OperationDetail | undefined;
  readonly error?: string | undefined;
};

/**
 * Returns a function that writes the audit entry of one outcome of the run. The run's LiteLLM
 * users are indexed once here, not per entry.
 */
export function createAuditRecorder(
  store: Pick<Store, 'recordAudit'>,
  run: { readonly runId: string; readonly source: string; readonly now: () => number },
  audit: AuditContext,
): (outcome: AuditedOutcome) => void {
  const usersById = indexUsers(audit.state);
  return outcome => {
    const view = auditView(outcome.op, audit.state, outcome.detail, usersById);
    store.recordAudit({
      at: run.now(),
      runId: run.runId,
      source: run.source,
      trigger: audit.trigger,
      actor: audit.actor,
      seq: outcome.seq,
      kind: outcome.op.kind,
      subject: operationSubject(outcome.op),
      users: view.users,
      status: outcome.error === undefined ? 'ok' : 'failed',
      before: view.before,
      after: view.after,
      error: outcome.error,
    });
  };
}
