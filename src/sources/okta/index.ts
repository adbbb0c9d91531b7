/**
 * The `okta` source: groups, members and user status from an Okta org through
 * `@okta/okta-sdk-nodejs`, within a share of Okta's org-wide rate limits.
 *
 * Reads go through a mirror in the source's state namespace. `prepare('full')` reads the
 * in-scope part of the org and replaces the mirror; `prepare('incremental')` applies Okta's
 * changes since the last read (falling back to a full read when there is no mirror, the
 * configuration changed, or the last full read is older than `fullResyncHours` — the drift
 * check). Either writes the mirror and its watermark in one transaction, or nothing. After a
 * successful prepare the lists serve the mirror; without one they read Okta in full; after a
 * failed one they fail too (the snapshot is incomplete, so nothing is removed).
 */
import { errorMessage } from '../../errors.js';
import { abortableSleep, type Sleep } from '../../http/retry.js';
import type { IdpGroup, IdpUser } from '../../model.js';
import type { ReadMode, Source, SourceDeps, SourceFactory } from '../types.js';
import { createBudget, type BudgetReport } from './budget.js';
import { createOktaReader } from './client.js';
import {
  oktaDefaultUserIdAttribute,
  oktaSourceConfigSchema,
  type OktaSourceConfig,
} from './config.js';
import { toGroupScope, toIdpUser } from './map.js';
import { createMirror, mirrorFingerprint, type MirrorState } from './mirror.js';
import { readFull, type FullReadOptions } from './read-full.js';
import { readIncremental } from './read-incremental.js';
import { readUser } from './read-user.js';

export {
  oktaSourceConfigSchema,
  defaultActiveStatuses,
  type OktaSourceConfig,
  type OktaSourceConfigInput,
} from './config.js';
import { reiterable } from '../reiterable.js';
export type { BudgetReport } from './budget.js';

/** The `okta` source factory; Okta `profile.login` becomes the LiteLLM `user_id` by default. */
export const oktaSource: SourceFactory<OktaSourceConfig> = {
  configSchema: oktaSourceConfigSchema,
  defaultUserIdAttribute: oktaDefaultUserIdAttribute,
  create: (config, deps) => createOktaSource(config, deps),
};

/** An Okta source, with the governor's call counts for reports and tests. */
export type OktaSource = Source & {
  /** Calls and 429s per endpoint, and time spent waiting for rate-limit windows, so far. */
  report(): BudgetReport;
};

/** Test seams: time and randomness of waits and backoff. */
export type OktaSourceOptions = {
  readonly sleep?: Sleep | undefined;
  readonly random?: (() => number) | undefined;
};

/** Builds an Okta source. */
export function createOktaSource(
  config: OktaSourceConfig,
  deps: SourceDeps,
  options: OktaSourceOptions = {},
): OktaSource {
  const logger = deps.logger.child({ source: 'okta', org: config.orgUrl });
  const sleep = options.sleep ?? abortableSleep;
  const budget = createBudget({
    share: config.rateLimitShare,
    now: () => deps.now().getTime(),
    sleep,
  });
  const reader = createOktaReader(config, {
    fetch: deps.fetch,
    budget,
    sleep,
    random: options.random ?? Math.random,
  });
  const mirror = createMirror(deps.state);
  const fingerprint = mirrorFingerprint(config);
  const readOptions: FullReadOptions = {
    selector: { scope: toGroupScope(config.scope), types: config.groupTypes },
    appId: config.appId,
    concurrency: config.concurrency,
  };
  // Per instance, not per module: what this instance's last prepare left the lists to serve.
  let served: { kind: 'live' } | { kind: 'mirror' } | { kind: 'failed'; error: unknown } = {
    kind: 'live',
  };

  const readState = async (signal?: AbortSignal): Promise<MirrorState> => {
    if (served.kind === 'failed') {
      throw served.error;
    }
    if (served.kind === 'mirror') {
      const stored = mirror.load();
      if (stored !== undefined) {
        return stored.state;
      }
    }
    return readFull(reader, readOptions, signal);
  };

  const refresh = async (mode: ReadMode, signal?: AbortSignal): Promise<void> => {
    const localStart = deps.now().getTime();
    const stored = mirror.load();
    const hoursSinceFull =
      stored === undefined
        ? Infinity
        : (budget.serverNow() - Date.parse(stored.meta.fullAt)) / 3_600_000;
    const incremental =
      mode === 'incremental' &&
      stored !== undefined &&
      stored.meta.fingerprint === fingerprint &&
      hoursSinceFull < config.fullResyncHours;
    const next = incremental
      ? await readIncremental(reader, readOptions, stored.state, stored.meta.since, signal)
      : await readFull(reader, readOptions, signal);
    // The watermark is the read's start on Okta's clock: the offset learned from the `Date`
    // headers during the read corrects a skewed local clock (the filters compare Okta's times).
    const startedAt = new Date(
      localStart + budget.serverNow() - deps.now().getTime(),
    ).toISOString();
    const fullAt = incremental ? stored.meta.fullAt : startedAt;
    mirror.save(next, { version: 1, fingerprint, fullAt, since: startedAt });
    logger.info(
      {
        mode: incremental ? 'incremental' : 'full',
        requested: mode,
        groups: next.groups.size,
        users: next.users.size,
      },
      'okta mirror refreshed',
    );
  };

  return {
    name: 'okta',
    async prepare(mode, signal) {
      const before = budget.report();
      try {
        await refresh(mode, signal);
        served = { kind: 'mirror' };
      } catch (error) {
        served = { kind: 'failed', error };
        logger.warn({ mode, error: errorMessage(error) }, 'okta refresh failed; mirror unchanged');
        throw error;
      } finally {
        logger.info({ ...since(before, budget.report()) }, 'okta calls');
      }
    },
    listGroups: signal =>
      reiterable(async (): Promise<IdpGroup[]> => {
        const state = await readState(signal);
        return [...state.groups.values()].map(group => ({
          externalId: group.id,
          name: group.name,
          memberIds: group.members,
        }));
      }),
    listUsers: signal =>
      reiterable(async (): Promise<IdpUser[]> => {
        const state = await readState(signal);
        return [...state.users.values()].map(user => toIdpUser(user, config.activeStatuses));
      }),
    readUser: (subject, signal) =>
      readUser(
        reader,
        {
          selector: readOptions.selector,
          activeStatuses: config.activeStatuses,
          appGroupIds: async inner => {
            if (config.appId === undefined) {
              return undefined;
            }
            // The mirror's copy is at most one scheduled run old and saves a call per login.
            const mirrored = mirror.load()?.state.appGroupIds;
            return new Set(mirrored ?? (await reader.listAppGroupIds(config.appId, inner)));
          },
        },
        subject,
        signal,
      ),
    report: () => budget.report(),
    usage: () => budget.report(),
  };
}

/** Counts of `after` minus `before`, per endpoint, for a per-run log line. */
function since(before: BudgetReport, after: BudgetReport): BudgetReport {
  const minus = (a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>) =>
    Object.fromEntries(
      Object.entries(a)
        .map(([key, value]): [string, number] => [key, value - (b[key] ?? 0)])
        .filter(([, value]) => value > 0),
    );
  return {
    calls: minus(after.calls, before.calls),
    throttled: minus(after.throttled, before.throttled),
    waitedMs: after.waitedMs - before.waitedMs,
  };
}
