/**
 * The `onelogin` source: roles as teams, their members and the members' status, from a OneLogin
 * account through a small typed client over `fetch` (no SDK), within a share of the account's
 * 5,000 calls an hour.
 *
 * Users go through a mirror in the source's state namespace. `prepare('full')` reads every user
 * and replaces the mirror; `prepare('incremental')` reads only users changed since the last
 * read (`updated_since`), falling back to a full read when there is no mirror, the API URL
 * changed, or the last full read is older than `fullResyncHours`. Roles and their members are
 * read every time. The mirror and its watermark are written in one transaction, or not at all.
 * After a successful prepare the lists serve what it read; without one they read OneLogin in
 * full; after a failed one they fail too (the snapshot is incomplete, so nothing is removed).
 *
 * @see /work/shared/reference/idp-apis.md §H
 */
import { errorMessage } from '../../errors.js';
import { abortableSleep, type Sleep } from '../../http/retry.js';
import type { IdpGroup, IdpUser } from '../../model.js';
import { reiterable } from '../reiterable.js';
import { compileScope } from '../scope.js';
import type { ReadMode, Source, SourceDeps, SourceFactory } from '../types.js';
import { createBudget, type BudgetReport } from './budget.js';
import { createOneLoginClient } from './client.js';
import { oneloginSourceConfigSchema, type OneLoginSourceConfig } from './config.js';
import { createMirror } from './mirror.js';
import { readAccount, type ReadOptions, type ReadResult } from './read.js';
import { readUser } from './read-user.js';
import { createOneLoginReader } from './reader.js';

export {
  defaultActiveStatuses,
  oneloginSourceConfigSchema,
  type OneLoginSourceConfig,
  type OneLoginSourceConfigInput,
} from './config.js';
export type { BudgetReport } from './budget.js';

/** The watermark overlaps the previous read by this much, for clock skew between us and OneLogin. */
const overlapMs = 5 * 60_000;

/**
 * The `onelogin` source factory. The login (username, else e-mail) becomes the LiteLLM
 * `user_id` by default: it is what OneLogin's OIDC `preferred_username` claim carries
 * (UNVERIFIED), and `preferred_username` is what LiteLLM's generic SSO keys users on by default.
 */
export const oneloginSource: SourceFactory<OneLoginSourceConfig> = {
  configSchema: oneloginSourceConfigSchema,
  defaultUserIdAttribute: 'login',
  create: (config, deps) => createOneLoginSource(config, deps),
};

/** A OneLogin source, with the budget's counts for reports and tests. */
export type OneLoginSource = Source & { report(): BudgetReport };

/** Test seams: time and randomness of waits and backoff. */
export type OneLoginSourceOptions = {
  readonly sleep?: Sleep | undefined;
  readonly random?: (() => number) | undefined;
};

/** Builds a OneLogin source. */
export function createOneLoginSource(
  config: OneLoginSourceConfig,
  deps: SourceDeps,
  options: OneLoginSourceOptions = {},
): OneLoginSource {
  const logger = deps.logger.child({ source: 'onelogin', url: config.baseUrl });
  const sleep = options.sleep ?? abortableSleep;
  const now = () => deps.now().getTime();
  const budget = createBudget({ share: config.rateLimitShare, state: deps.state, now, sleep });
  const client = createOneLoginClient(config, {
    fetch: deps.fetch,
    budget,
    sleep,
    random: options.random ?? Math.random,
    now,
  });
  const reader = createOneLoginReader(client);
  const mirror = createMirror(deps.state);
  const scope = compileScope(config.scope);
  const readOptions: ReadOptions = {
    scope,
    activeStatuses: config.activeStatuses,
    concurrency: config.concurrency,
  };
  // Per instance: what this instance's last prepare left the lists to serve.
  let served:
    { kind: 'live' } | { kind: 'read'; result: ReadResult } | { kind: 'failed'; error: unknown } = {
    kind: 'live',
  };

  const readState = async (signal?: AbortSignal): Promise<ReadResult> => {
    if (served.kind === 'failed') {
      throw served.error;
    }
    return served.kind === 'read'
      ? served.result
      : readAccount(reader, readOptions, new Map(), undefined, signal);
  };

  const refresh = async (mode: ReadMode, signal?: AbortSignal): Promise<ReadResult> => {
    const startedAt = now();
    const meta = mirror.meta();
    const incremental =
      mode === 'incremental' &&
      meta !== undefined &&
      meta.fingerprint === config.baseUrl &&
      (startedAt - Date.parse(meta.fullAt)) / 3_600_000 < config.fullResyncHours;
    const result = incremental
      ? await readAccount(reader, readOptions, mirror.users(), meta.since, signal)
      : await readAccount(reader, readOptions, new Map(), undefined, signal);
    const started = new Date(startedAt).toISOString();
    mirror.save({
      full: !incremental,
      users: result.changed,
      roles: result.roles,
      meta: {
        version: 1,
        fingerprint: config.baseUrl,
        fullAt: incremental ? meta.fullAt : started,
        since: new Date(startedAt - overlapMs).toISOString(),
      },
    });
    logger.info(
      {
        mode: incremental ? 'incremental' : 'full',
        requested: mode,
        roles: result.groups.length,
        users: result.users.size,
        changed: result.changed.length,
      },
      'onelogin read',
    );
    return result;
  };

  return {
    name: 'onelogin',
    async prepare(mode, signal) {
      try {
        served = { kind: 'read', result: await refresh(mode, signal) };
      } catch (error) {
        served = { kind: 'failed', error };
        logger.warn({ mode, error: errorMessage(error) }, 'onelogin read failed; mirror unchanged');
        throw error;
      } finally {
        logger.info({ ...budget.report() }, 'onelogin calls');
      }
    },
    listGroups: signal =>
      reiterable(async (): Promise<readonly IdpGroup[]> => (await readState(signal)).groups),
    listUsers: signal =>
      reiterable(async (): Promise<IdpUser[]> => [...(await readState(signal)).users.values()]),
    readUser: (subject, signal) =>
      readUser(
        reader,
        { scope, activeStatuses: config.activeStatuses, lastRoles: () => mirror.roles() },
        subject,
        signal,
      ),
    report: () => budget.report(),
    usage: () => budget.report(),
  };
}
