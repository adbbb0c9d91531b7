import { errorMessage } from '../errors.js';
import type { IdpUser, UserReading } from '../model.js';
import type { Ownership, RunStatus } from '../store/types.js';
import type { Target, Team, User } from '../target/types.js';
import { litellmUserId } from './mapping.js';
import { plan as computePlan } from './plan.js';
import { summarise } from './reconcile-full.js';
import { recordAndApply } from './record.js';
import { lifecycleInput } from './safety-gate.js';
import { type ReconcileDeps, type RunOptions, type RunReport } from './run-types.js';
import { countKeysToDelete } from './dry-run-keys.js';

/**
 * Syncs one person (login hook, `resync --user`): reads them and their groups from the IdP,
 * reads only the LiteLLM objects they touch, and fixes their teams. It deprovisions only when
 * the IdP positively says the user is disabled or deleted; a failed read removes nothing.
 */
export async function reconcileUser(
  deps: ReconcileDeps,
  subject: string,
  options: RunOptions,
): Promise<RunReport> {
  const started = deps.now().getTime();
  const runId = deps.newRunId();
  const source = deps.source.name;
  deps.store.startRun({
    runId,
    source,
    kind: 'user',
    trigger: options.trigger,
    subject,
    dryRun: options.dryRun,
  });
  const finish = (status: RunStatus, report: Partial<RunReport>): RunReport => {
    const full: RunReport = {
      runId,
      source,
      kind: 'user',
      subject,
      status,
      dryRun: options.dryRun,
      complete: true,
      problems: [],
      plan: undefined,
      failures: [],
      applied: {},
      keysDeleted: 0,
      read: { idpUsers: 0, idpGroups: 0, teams: 0, litellmUsers: 0 },
      ...report,
      durationMs: deps.now().getTime() - started,
    };
    deps.store.finishRun(runId, status, summarise(full), full.error);
    return full;
  };

  const readAt = deps.now().getTime();
  let reading: UserReading;
  try {
    reading = await deps.source.readUser(subject, options.signal);
  } catch (error) {
    return finish('failed', {
      complete: false,
      error: `reading ${subject} from ${source}: ${errorMessage(error)}`,
    });
  }
  const externalId =
    reading.kind === 'found'
      ? reading.user.externalId
      : deps.store.findManagedUser(source, subject)?.externalId;
  if (externalId === undefined) {
    return finish('succeeded', {
      problems: [`${subject} is unknown to ${source} and not managed: nothing to do`],
    });
  }
  const users = new Map<string, IdpUser>(
    reading.kind === 'found' ? [[externalId, reading.user]] : [],
  );
  const groups =
    reading.kind === 'found' ? reading.groups.map(g => ({ ...g, memberIds: [externalId] })) : [];
  const ownership = deps.store.userOwnership(
    source,
    externalId,
    groups.map(g => g.externalId),
  );
  let state: { teams: Map<string, Team>; users: User[] };
  try {
    state = await readUserState(deps, ownership, externalId, reading, options.signal);
  } catch (error) {
    return finish('failed', { error: `reading LiteLLM: ${errorMessage(error)}` });
  }
  const plan = computePlan({
    source,
    scope: { kind: 'user', externalId, deleted: reading.kind === 'deleted' },
    users,
    groups,
    teams: state.teams,
    litellmUsers: state.users,
    ownership,
    rules: deps.rules,
    lifecycle: lifecycleInput(deps),
  });
  const read = {
    idpUsers: users.size,
    idpGroups: groups.length,
    teams: state.teams.size,
    litellmUsers: state.users.length,
  };
  if (options.dryRun) {
    return finish('planned', {
      plan,
      read,
      keysDeleted: await countKeysToDelete(deps.target, plan, options.signal),
    });
  }
  // Marked before the first write, so a full run that read the IdP earlier leaves this user to
  // us (plan-interleave.ts); the lease covers our writes and is cut short once they are done.
  const lease = deps.now().getTime() + userSyncWriteLeaseMs;
  deps.store.markUserSync(source, externalId, { readAt, writesUntil: lease });
  const audit = { trigger: options.trigger, actor: options.actor, state };
  const result = await recordAndApply(
    plan,
    { runId, source, signal: options.signal, now: () => deps.now().getTime(), audit },
    deps,
  );
  deps.store.markUserSync(source, externalId, { readAt, writesUntil: deps.now().getTime() });
  return finish(result.failures.length > 0 ? 'partial' : 'succeeded', { plan, read, ...result });
}

/** How long a per-user sync may take to apply before full runs stop deferring to it. */
const userSyncWriteLeaseMs = 10 * 60_000;

/** The LiteLLM users that could be this person, and every team they are in or should be in. */
async function readUserState(
  deps: ReconcileDeps,
  ownership: Ownership,
  externalId: string,
  reading: UserReading,
  signal?: AbortSignal,
): Promise<{ teams: Map<string, Team>; users: User[] }> {
  const managedIds = [...ownership.users.values()]
    .filter(u => u.externalId === externalId)
    .map(u => u.userId);
  const userIds =
    reading.kind === 'found'
      ? [...managedIds, litellmUserId(reading.user, deps.rules.userIdAttribute)]
      : managedIds;
  const email = reading.kind === 'found' ? reading.user.email : undefined;
  const users = await deps.target.findUsers({ userIds, ssoUserId: externalId, email }, signal);
  const teamIds = new Set<string>(
    reading.kind === 'found' ? reading.groups.map(g => g.externalId) : [],
  );
  for (const grant of ownership.grants.values()) {
    if (managedIds.includes(grant.userId)) {
      teamIds.add(grant.teamId);
    }
  }
  for (const user of users) {
    user.teams.forEach(id => teamIds.add(id));
  }
  return { teams: await readTeams(deps.target, [...teamIds], signal), users };
}

async function readTeams(
  target: Target,
  teamIds: readonly string[],
  signal?: AbortSignal,
): Promise<Map<string, Team>> {
  const teams = await Promise.all(teamIds.map(id => target.getTeam(id, signal)));
  return new Map(teams.filter((t): t is Team => t !== undefined).map(t => [t.teamId, t]));
}
