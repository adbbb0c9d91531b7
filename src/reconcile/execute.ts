import type { ExecuteContext, OperationDetail } from './execute-context.js';
import { restoreUser, retireTeam, suspendUser } from './execute-staged.js';
import { managedMarker } from './mapping.js';
import { collect } from './read-target.js';
import type { Operation } from './operations.js';

export type { ExecuteContext, OperationDetail } from './execute-context.js';

/**
 * Records, ahead of the write, the ownership a create or an add will establish: the team, the
 * user, or the grants. {@link execute} assumes this was done for its operation. `apply` records
 * a whole phase's intents in one transaction before the phase starts (one commit instead of one
 * per operation); a crash before a write leaves ownership of something that does not exist yet,
 * which the next run plans to create again.
 */
export function recordIntent(op: Operation, ctx: ExecuteContext): void {
  const { store, source } = ctx;
  switch (op.kind) {
    case 'createTeam':
      store.recordTeam({ teamId: op.teamId, source, externalId: op.externalId, alias: op.alias });
      return;
    case 'createUser':
      store.recordUser({ userId: op.userId, source, externalId: op.externalId, email: op.email });
      return;
    case 'addMembers':
      store.recordGrants(
        op.members.map(m => ({ teamId: op.teamId, userId: m.userId, source, role: m.role })),
        ctx.runId,
      );
      return;
    default:
      return;
  }
}

/**
 * Takes back the write-ahead grants of an add that was not attempted or that failed: those
 * memberships do not exist, and a grant left behind could later remove a member someone adds by
 * hand. (A crash, by contrast, keeps them.) Users and teams recorded ahead are left: if the IdP
 * still wants them the next run creates them, else it forgets them.
 */
export function withdrawIntent(op: Operation, ctx: ExecuteContext): void {
  if (op.kind === 'addMembers') {
    ctx.store.forgetGrants(
      op.teamId,
      op.members.map(m => m.userId),
    );
  }
}

/**
 * Performs one operation against LiteLLM and records ownership in the store. Ownership is
 * written *before* a create or add (write-ahead, {@link recordIntent}) and forgotten only
 * *after* a removal succeeds, so a crash at any point leaves nothing this worker made that it
 * could not later clean up. The same holds for block mode: a suspension and each blocked key are
 * recorded before the block, and forgotten only after the unblock or the delete
 * (execute-staged.ts).
 */
export async function execute(op: Operation, ctx: ExecuteContext): Promise<OperationDetail> {
  const { target, store, source, signal } = ctx;
  switch (op.kind) {
    case 'createTeam': {
      const result = await target.createTeam(
        {
          teamId: op.teamId,
          alias: op.alias,
          metadata: { idp_sync: managedMarker(source, op.externalId) },
          settings: op.settings,
        },
        signal,
      );
      return { result };
    }
    case 'adoptTeam':
      await target.updateTeam(
        op.teamId,
        {
          alias: op.alias,
          metadata: op.metadata,
          blocked: op.unblock === true ? false : undefined,
        },
        signal,
      );
      store.recordTeam({ teamId: op.teamId, source, externalId: op.externalId, alias: op.alias });
      return {};
    case 'renameTeam':
      await target.updateTeam(op.teamId, { alias: op.to }, signal);
      store.recordTeam({ teamId: op.teamId, source, externalId: op.externalId, alias: op.to });
      return {};
    case 'createUser': {
      const result = await target.createUser(
        {
          userId: op.userId,
          email: op.email,
          ssoUserId: op.externalId,
          role: op.role,
          alias: op.alias,
          metadata: { idp_sync: managedMarker(source, op.externalId) },
        },
        signal,
      );
      return { result };
    }
    case 'adoptUser':
      await target.updateUser(op.userId, { metadata: op.metadata }, signal);
      store.recordUser({ userId: op.userId, source, externalId: op.externalId, email: op.email });
      return { matchedBy: op.matchedBy };
    case 'updateUser':
      await target.updateUser(op.userId, { email: op.email, role: op.role }, signal);
      if (op.email !== undefined) {
        store.recordUser({ userId: op.userId, source, externalId: op.externalId, email: op.email });
      }
      return {};
    case 'addMembers':
      return addMembers(op, ctx);
    case 'removeMember': {
      const result = await ctx.teamLock(op.teamId, () =>
        target.removeMember(op.teamId, op.userId, signal),
      );
      store.forgetGrants(op.teamId, [op.userId]);
      return { result };
    }
    case 'forgetGrant':
      store.forgetGrants(op.teamId, [op.userId]);
      return {};
    case 'deprovisionUser':
      return deprovision(op, ctx);
    case 'forgetUser':
      store.forgetUser(op.userId);
      return {};
    case 'suspendUser':
      return suspendUser(op, ctx, (ctx.now ?? Date.now)());
    case 'restoreUser':
      return restoreUser(op, ctx);
    case 'retireTeam':
      return retireTeam(op, ctx);
  }
}

async function addMembers(
  op: Extract<Operation, { kind: 'addMembers' }>,
  ctx: ExecuteContext,
): Promise<OperationDetail> {
  ctx.store.recordGrants(
    op.members.map(m => ({
      teamId: op.teamId,
      userId: m.userId,
      source: ctx.source,
      role: m.role,
    })),
    ctx.runId,
  );
  try {
    await ctx.teamLock(op.teamId, () => ctx.target.addMembers(op.teamId, op.members, ctx.signal));
  } catch (error) {
    withdrawIntent(op, ctx);
    throw error;
  }
  return { added: op.members.length };
}

/**
 * Ends a user's access: every key first (access stops at once), then every team membership,
 * then the user. Each step is idempotent, so a crash part-way is finished by the next run.
 */
async function deprovision(
  op: Extract<Operation, { kind: 'deprovisionUser' }>,
  ctx: ExecuteContext,
): Promise<OperationDetail> {
  const tokens = (await collect(ctx.target.listUserKeys(op.userId, ctx.signal))).map(
    key => key.token,
  );
  if (tokens.length > 0) {
    await ctx.target.deleteKeys(tokens, ctx.signal);
  }
  for (const teamId of op.teams) {
    await ctx.teamLock(teamId, () => ctx.target.removeMember(teamId, op.userId, ctx.signal));
  }
  const result = await ctx.target.deleteUser(op.userId, ctx.signal);
  ctx.store.forgetUser(op.userId);
  return { keysDeleted: tokens.length, teamsLeft: op.teams.length, result };
}
