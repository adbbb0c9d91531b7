import type { ExecuteContext, OperationDetail } from './execute-context.js';
import type { Operation } from './operations.js';
import { collect } from './read-target.js';

/**
 * Block mode, first step: the suspension is recorded, then every key of the user that is not
 * blocked yet is recorded and *then* blocked (write-ahead), so a crash never leaves a key this
 * worker blocked without a record (it could never be restored). Keys already blocked — by the
 * user or an admin — are neither recorded nor touched, so a restore leaves them blocked.
 * Memberships stay: removing a member makes LiteLLM delete the user's team keys (PR #17057),
 * which would make a restore impossible; the blocked keys already end access.
 */
export async function suspendUser(
  op: Extract<Operation, { kind: 'suspendUser' }>,
  ctx: ExecuteContext,
  now: number,
): Promise<OperationDetail> {
  ctx.store.recordSuspension({
    userId: op.userId,
    source: ctx.source,
    externalId: op.externalId,
    reason: op.reason,
    runId: ctx.runId,
    suspendedAt: now,
    deleteAfter: op.deleteAfter,
  });
  const keys = await collect(ctx.target.listUserKeys(op.userId, ctx.signal));
  let blocked = 0;
  for (const key of keys) {
    if (key.blocked) {
      continue;
    }
    ctx.store.recordBlockedKey(key.token, op.userId, ctx.runId);
    await ctx.target.blockKey(key.token, ctx.signal);
    blocked += 1;
  }
  return {
    keysBlocked: blocked,
    keysAlreadyBlocked: keys.length - blocked,
    deleteAfter: new Date(op.deleteAfter).toISOString(),
  };
}

/** The user is back within the grace: unblock exactly the keys this worker blocked, then forget the suspension. */
export async function restoreUser(
  op: Extract<Operation, { kind: 'restoreUser' }>,
  ctx: ExecuteContext,
): Promise<OperationDetail> {
  for (const token of op.tokens) {
    await ctx.target.unblockKey(token, ctx.signal);
    ctx.store.forgetBlockedKey(token);
  }
  ctx.store.forgetSuspension(op.userId);
  return { keysUnblocked: op.tokens.length };
}

/**
 * A managed team whose group is gone: `keep` marks it orphaned (metadata), `block` marks and
 * blocks it, `delete` deletes it and forgets it (ownership forgotten only after the delete).
 */
export async function retireTeam(
  op: Extract<Operation, { kind: 'retireTeam' }>,
  ctx: ExecuteContext,
): Promise<OperationDetail> {
  if (op.action === 'delete') {
    const result = await ctx.target.deleteTeam(op.teamId, ctx.signal);
    ctx.store.forgetTeam(op.teamId);
    return { result };
  }
  await ctx.target.updateTeam(
    op.teamId,
    { metadata: op.metadata, blocked: op.action === 'block' ? true : undefined },
    ctx.signal,
  );
  return { action: op.action };
}
