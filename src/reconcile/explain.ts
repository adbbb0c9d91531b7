import type { IdpGroupRef, UserReading } from '../model.js';
import type { GroupPath } from '../sources/types.js';
import type { AuditEntry, GrantRecord, RunRecord } from '../store/types.js';
import type { Team } from '../target/types.js';
import { litellmUserId } from './mapping.js';
import { normaliseEmail } from './match-user.js';
import type { ReconcileDeps } from './run-types.js';

/** Why the user is (or is not) in one team. */
export type TeamExplanation = {
  readonly teamId: string;
  readonly alias: string | null;
  /** A member in LiteLLM now. */
  readonly member: boolean;
  /** The IdP puts the (active) user in a group in scope that maps to this team. */
  readonly backed: boolean;
  /** The in-scope group behind the team, how the user reaches it, and the rule that selected it. */
  readonly group?:
    | {
        readonly ref: IdpGroupRef;
        /** From the in-scope group down to the user's direct group; absent when the source cannot say. */
        readonly via?: readonly IdpGroupRef[] | undefined;
        readonly rule?: string | undefined;
      }
    | undefined;
  /** The membership this worker added, and the run that added it. */
  readonly grant?: (GrantRecord & { readonly run?: RunSummary | undefined }) | undefined;
  readonly verdict: string;
};

/** A run, as explain names it. */
export type RunSummary = Pick<RunRecord, 'runId' | 'kind' | 'trigger' | 'startedAt' | 'status'>;

/** Everything `idp-sync explain` says about one user in one source. */
export type Explanation = {
  readonly source: string;
  readonly subject: string;
  readonly idp:
    | {
        readonly kind: 'found';
        readonly externalId: string;
        readonly login: string;
        readonly email?: string | undefined;
        readonly active: boolean;
      }
    | { readonly kind: 'deleted' };
  /** The LiteLLM user id, when there is (or would be) one. */
  readonly userId?: string | undefined;
  readonly managed: boolean;
  readonly teams: readonly TeamExplanation[];
  /** Deprovisioning (or block-mode suspension) of this user: the signal and the run. */
  readonly deprovisioned: readonly {
    readonly kind: string;
    readonly reason: string;
    readonly runId: string;
    readonly trigger: string;
    readonly at: number;
    readonly status: string;
  }[];
  readonly notes: readonly string[];
};

/** What explain needs besides the reconcile dependencies: the scope rule of a group. */
export type ExplainOptions = {
  /** Which scope rule selects the group (id list, prefix, regex, app, all), if any. */
  readonly scopeRule: (group: IdpGroupRef) => string | undefined;
  /** Only this team (id or alias). */
  readonly team?: string | undefined;
  readonly signal?: AbortSignal | undefined;
};

/**
 * Explains, for one user and one source, why they are or are not in each team: reads the user and
 * their groups from the IdP (with nesting paths where the source can give them), the LiteLLM
 * records, the grants and the audit log. Reads only; changes nothing.
 */
export async function explainUser(
  deps: ReconcileDeps,
  subject: string,
  options: ExplainOptions,
): Promise<Explanation> {
  const source = deps.source.name;
  const reading = await deps.source.readUser(subject, options.signal);
  const ownership = deps.store.ownership(source);
  const wanted = normaliseEmail(subject);
  const managedRecord = [...ownership.users.values()].find(
    u =>
      u.userId === subject ||
      u.externalId === subject ||
      (u.email !== null && normaliseEmail(u.email) === wanted) ||
      (reading.kind === 'found' && u.externalId === reading.user.externalId),
  );
  const userId =
    managedRecord?.userId ??
    (reading.kind === 'found'
      ? litellmUserId(reading.user, deps.rules.userIdAttribute)
      : undefined);
  const notes: string[] = [];
  const paths = await groupPaths(deps, reading, notes, options.signal);
  const litellmUser =
    userId === undefined
      ? undefined
      : (await deps.target.findUsers({ userIds: [userId] }, options.signal)).find(
          u => u.userId === userId,
        );
  const grants = userId === undefined ? [] : deps.store.grantsOf(userId);
  const teamIds = new Set<string>([
    ...(reading.kind === 'found' ? reading.groups.map(g => g.externalId) : []),
    ...(litellmUser?.teams ?? []),
    ...grants.map(g => g.teamId),
  ]);
  const teams = (
    await Promise.all([...teamIds].map(id => deps.target.getTeam(id, options.signal)))
  ).filter((t): t is Team => t !== undefined);
  if (
    options.team !== undefined &&
    !teamIds.has(options.team) &&
    !teams.some(t => t.alias === options.team)
  ) {
    const named = await deps.target.getTeam(options.team, options.signal);
    if (named !== undefined) {
      teams.push(named);
    } else {
      notes.push(
        `no LiteLLM team has the id ${options.team} among this user's teams, groups and grants`,
      );
    }
  }
  const explained = teams
    .filter(
      t => options.team === undefined || t.teamId === options.team || t.alias === options.team,
    )
    .sort((a, b) => a.teamId.localeCompare(b.teamId))
    .map(team =>
      explainTeam(team, { reading, userId, paths, grants, options, run: id => deps.store.run(id) }),
    );
  if (reading.kind === 'found' && !reading.user.active) {
    notes.push(
      `the IdP says ${subject} is disabled: no team is backed, and a sync deprovisions them`,
    );
  }
  return {
    source,
    subject,
    idp:
      reading.kind === 'found'
        ? {
            kind: 'found',
            externalId: reading.user.externalId,
            login: reading.user.login,
            email: reading.user.email,
            active: reading.user.active,
          }
        : { kind: 'deleted' },
    userId,
    managed: managedRecord !== undefined,
    teams: explained,
    // By the subject too: a deprovisioned user's managed record (and so their id) is forgotten.
    deprovisioned: deprovisionsOf(
      deps.store.audit({
        users: [...new Set([subject, wanted, ...(userId === undefined ? [] : [userId])])],
      }),
    ),
    notes,
  };
}

async function groupPaths(
  deps: ReconcileDeps,
  reading: UserReading,
  notes: string[],
  signal?: AbortSignal,
): Promise<ReadonlyMap<string, GroupPath> | undefined> {
  if (reading.kind !== 'found') {
    return undefined;
  }
  if (deps.source.groupPaths === undefined) {
    notes.push(
      `${deps.source.name} does not expose group nesting to explain: groups are shown without their path`,
    );
    return undefined;
  }
  const paths = await deps.source.groupPaths(reading.user.externalId, signal);
  return new Map(paths.map(p => [p.group.externalId, p]));
}

type TeamContext = {
  readonly reading: UserReading;
  readonly userId: string | undefined;
  readonly paths: ReadonlyMap<string, GroupPath> | undefined;
  readonly grants: readonly GrantRecord[];
  readonly options: ExplainOptions;
  readonly run: (runId: string) => RunRecord | undefined;
};

/** One team's explanation. Pure, given the reads. */
export function explainTeam(team: Team, ctx: TeamContext): TeamExplanation {
  const member = team.members.find(m => m.userId === ctx.userId);
  const group =
    ctx.reading.kind === 'found'
      ? ctx.reading.groups.find(g => g.externalId === team.teamId)
      : undefined;
  const active = ctx.reading.kind === 'found' && ctx.reading.user.active;
  const backed = group !== undefined && active;
  const record = ctx.grants.find(g => g.teamId === team.teamId);
  const run = record?.runId === null || record === undefined ? undefined : ctx.run(record.runId);
  const grant =
    record === undefined
      ? undefined
      : {
          ...record,
          run:
            run === undefined
              ? undefined
              : {
                  runId: run.runId,
                  kind: run.kind,
                  trigger: run.trigger,
                  startedAt: run.startedAt,
                  status: run.status,
                },
        };
  const via = group === undefined ? undefined : ctx.paths?.get(group.externalId)?.via;
  const path = via === undefined ? '' : ` via ${via.map(g => g.name).join(' ⊃ ')}`;
  const rule = group === undefined ? undefined : ctx.options.scopeRule(group);
  const by =
    grant === undefined
      ? ''
      : `; added by run ${grant.runId ?? '(unknown)'}${grant.run === undefined ? '' : ` (${grant.run.trigger}, ${grant.run.startedAt})`}`;
  const verdict =
    member !== undefined && backed
      ? `member: in group ${group.name}${path}${rule === undefined ? '' : `, selected by ${rule}`}${by}`
      : member !== undefined && record === undefined
        ? 'member, but not through the IdP: added outside this worker (manual), so it is never removed by it'
        : member !== undefined
          ? `member, but no longer backed by the IdP${active ? '' : ' (the user is disabled or deleted)'}: the next sync removes this grant${by}`
          : backed
            ? `not a member yet, though group ${group.name}${path} puts them there: the next sync adds them`
            : `not a member: ${ctx.reading.kind === 'deleted' ? 'the IdP no longer has the user' : !active ? 'the user is disabled in the IdP' : `no in-scope group that maps to team ${team.teamId} contains the user`}`;
  return {
    teamId: team.teamId,
    alias: team.alias,
    member: member !== undefined,
    backed,
    group:
      group === undefined
        ? undefined
        : { ref: { externalId: group.externalId, name: group.name }, via, rule },
    grant,
    verdict,
  };
}

/** The deprovisioning and suspension entries of the audit log, with their signal (the reason). */
function deprovisionsOf(entries: readonly AuditEntry[]): Explanation['deprovisioned'] {
  return entries
    .filter(e => e.kind === 'deprovisionUser' || e.kind === 'suspendUser')
    .map(e => ({
      kind: e.kind,
      reason: reasonOf(e.after),
      runId: e.runId,
      trigger: e.trigger,
      at: e.at,
      status: e.status,
    }));
}

function reasonOf(after: unknown): string {
  const reason =
    typeof after === 'object' && after !== null
      ? (after as { reason?: unknown }).reason
      : undefined;
  return typeof reason === 'string' ? reason : 'unknown';
}
