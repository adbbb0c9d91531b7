/**
 * The `entra` source: Microsoft Entra ID through Microsoft Graph, app-only (client credentials).
 *
 * Scheduled runs call `prepare('incremental')`: one delta round over users and groups updates
 * the mirror kept in the source's state (see `mirror.ts`), and the lists are served from it.
 * `prepare('full')` — the drift check, and the fallback whenever the delta links are missing,
 * older than seven days or rejected by Graph — re-reads the directory and replaces the mirror.
 * `readUser` (the login hook) always asks Graph.
 */
import { SyncError } from '../../errors.js';
import type { RetryPolicy, Sleep } from '../../http/retry.js';
import type { IdpGroup, IdpUser, UserReading } from '../../model.js';
import type { ReadMode, Source, SourceDeps, SourceFactory } from '../types.js';
import { createTokenProvider } from './auth.js';
import {
  entraDefaultUserIdAttribute,
  entraSourceConfigSchema,
  groupSelector,
  type EntraSourceConfig,
} from './config.js';
import { createGraph } from './graph.js';
import { selectGroups, toGroupRef, toIdpUser, toMirrorUser } from './map.js';
import {
  applyDeltaRound,
  loadMirror,
  replaceMirror,
  storedAppGroupIds,
  usableDeltaLinks,
  type MirrorView,
} from './mirror.js';
import { isResyncRequired, readDeltaRound } from './read-delta.js';
import { readAppGroupIds, readFullDirectory, type FullReadOptions } from './read-full.js';
import { readUserAndGroups } from './read-user.js';
import type { GraphUsage } from './throttle.js';

export {
  entraSourceConfigSchema,
  type EntraSourceConfig,
  type ThrottlePriority,
} from './config.js';
import { reiterable } from '../reiterable.js';
export type { GraphUsage } from './throttle.js';

/** The `entra` source factory; Entra object ids become LiteLLM `user_id`s by default. */
export const entraSource: SourceFactory<EntraSourceConfig> = {
  configSchema: entraSourceConfigSchema,
  defaultUserIdAttribute: entraDefaultUserIdAttribute,
  create: (config, deps) => createEntraSource(config, deps),
};

/** An Entra source, with what its last refresh cost in Graph calls and resource units. */
export type EntraSource = Omit<Source, 'usage'> & {
  /** Graph usage since the last `prepare` began (per-user reads included). */
  usage(): GraphUsage;
};

/** Tuning that is not configuration: waits, retries and fan-out. */
export type EntraSourceOptions = {
  readonly sleep?: Sleep | undefined;
  readonly retryPolicy?: RetryPolicy | undefined;
  /** Budget of one HTTP exchange. @defaultValue 60000 */
  readonly timeoutMs?: number | undefined;
  /** `$batch` requests (and page follow-ups) in flight at once. @defaultValue 4 */
  readonly concurrency?: number | undefined;
  /** `$top` of list reads. @defaultValue 999 (Graph's maximum) */
  readonly pageSize?: number | undefined;
};

/** Builds an `entra` source. No I/O happens until a list, a read or `prepare` is called. */
export function createEntraSource(
  config: EntraSourceConfig,
  deps: SourceDeps,
  options: EntraSourceOptions = {},
): EntraSource {
  const logger = deps.logger.child({ tenant: config.tenantId });
  // A mirror belongs to one tenant in one cloud; anything else read into it would be nonsense.
  const identity = `${config.graphBaseUrl}|${config.tenantId}`;
  const graph = createGraph(config.graphBaseUrl, createTokenProvider(config, deps.fetch), {
    fetch: deps.fetch,
    sleep: options.sleep,
    retryPolicy: options.retryPolicy,
    timeoutMs: options.timeoutMs,
    pageSize: options.pageSize,
  });
  const bulk = (signal: AbortSignal | undefined): FullReadOptions => ({
    signal,
    priority: config.throttlePriority,
    appServicePrincipalId: config.appServicePrincipalId,
    concurrency: options.concurrency,
    retryPolicy: options.retryPolicy,
    sleep: options.sleep,
    logger,
  });
  const readApp = async (signal: AbortSignal | undefined, priority = config.throttlePriority) =>
    config.appServicePrincipalId === undefined
      ? undefined
      : readAppGroupIds(graph, config.appServicePrincipalId, { signal, priority });
  const noGroups: ReadonlySet<string> = new Set();

  let prepared: Promise<void> | undefined;
  let view: MirrorView | undefined;

  const incremental = async (signal: AbortSignal | undefined): Promise<boolean> => {
    const usable = usableDeltaLinks(deps.state, identity, deps.now());
    if ('reason' in usable) {
      logger.info({ reason: usable.reason }, 'entra: reading in full instead of a delta round');
      return false;
    }
    try {
      const [round, appGroupIds] = await Promise.all([
        readDeltaRound(graph, usable.links, bulk(signal)),
        readApp(signal),
      ]);
      applyDeltaRound(deps.state, { ...round, appGroupIds }, deps.now());
      logger.info(
        { users: round.users.length, groups: round.groups.length, ...graph.throttle.usage },
        'entra: applied a delta round',
      );
      return true;
    } catch (error) {
      if (!isResyncRequired(error)) {
        throw error;
      }
      logger.warn({ err: error }, 'entra: Graph rejected the delta link; reading in full');
      return false;
    }
  };

  const prepare = async (mode: ReadMode, signal?: AbortSignal): Promise<void> => {
    view = undefined;
    graph.throttle.reset();
    if (mode === 'incremental' && (await incremental(signal))) {
      return;
    }
    const directory = await readFullDirectory(graph, bulk(signal));
    replaceMirror(deps.state, directory, identity, deps.now());
    logger.info(
      { users: directory.users.length, groups: directory.groups.length, ...graph.throttle.usage },
      'entra: read the directory in full',
    );
  };

  /** The mirror to list from; a source nobody prepared reads in full once, on first use. */
  const mirror = async (signal: AbortSignal | undefined): Promise<MirrorView> => {
    if (prepared === undefined) {
      prepared = prepare('full', signal);
      await prepared;
    } else {
      // After a failed refresh the previous mirror is served; the caller already knows it failed.
      await prepared.catch(() => undefined);
    }
    view ??= loadMirror(deps.state, identity);
    if (view === undefined) {
      throw new SyncError(
        'SOURCE_UNAVAILABLE',
        'No complete read of the Entra directory yet: the last refresh failed',
      );
    }
    return view;
  };

  return {
    name: 'entra',
    usage: () => ({ ...graph.throttle.usage }),
    prepare(mode, signal) {
      prepared = prepare(mode, signal);
      return prepared;
    },
    listGroups: signal =>
      reiterable(async (): Promise<readonly IdpGroup[]> => {
        const current = await mirror(signal);
        const appGroupIds =
          config.appServicePrincipalId === undefined ? noGroups : current.appGroupIds;
        const selection = selectGroups(current, groupSelector(config, appGroupIds ?? noGroups));
        for (const groupIds of selection.cycles) {
          logger.warn({ groupIds }, 'entra: nested groups form a cycle');
        }
        return selection.groups;
      }),
    listUsers: signal =>
      reiterable(async (): Promise<readonly IdpUser[]> =>
        [...(await mirror(signal)).users.values()].map(toIdpUser),
      ),
    async readUser(subject, signal): Promise<UserReading> {
      const found = await readUserAndGroups(graph, subject, { signal });
      if (found === undefined) {
        return { kind: 'deleted', source: 'entra', subject };
      }
      const appGroupIds =
        config.appServicePrincipalId === undefined
          ? noGroups
          : (storedAppGroupIds(deps.state, identity) ?? new Set(await readApp(signal, 'normal')));
      const select = groupSelector(config, appGroupIds);
      const groups = found.groups.map(toGroupRef).filter(select);
      return { kind: 'found', source: 'entra', user: toIdpUser(toMirrorUser(found.user)), groups };
    },
  };
}
