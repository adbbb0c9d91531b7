/**
 * The `google` source: groups, nested-group members and user status from a Google Workspace
 * through `@googleapis/admin` (Directory API v1), as a service account with domain-wide
 * delegation, within a queries-per-minute budget.
 *
 * Google has no delta API for the directory, so every run reads in full. `prepare` does that
 * read once and the two lists serve it, so a run costs one read, not two; without a prepare the
 * lists read live; after a failed one they fail too (the snapshot is incomplete, so nothing is
 * removed). A user whose status flags are missing is left out of `listUsers`, and the list then
 * fails after yielding the others: the snapshot is incomplete and no one is removed or disabled
 * on a guess.
 *
 * @see /work/shared/reference/idp-apis.md §E
 */
import { SyncError, errorMessage } from '../../errors.js';
import { abortableSleep, type Sleep } from '../../http/retry.js';
import type { IdpGroup, IdpUser, UserReading } from '../../model.js';
import { compileScope } from '../scope.js';
import type { ReadMode, Source, SourceDeps, SourceFactory } from '../types.js';
import { createGoogleReader, type GoogleReader } from './client.js';
import {
  googleDefaultUserIdAttribute,
  googleSourceConfigSchema,
  loadServiceAccountKey,
  type GoogleSourceConfig,
} from './config.js';
import { toIdpUser } from './map.js';
import { readGroups, readUsers, type GroupRead, type UserRead } from './read.js';
import { createGoogleTransport, type TransportReport } from './transport.js';

export {
  googleSourceConfigSchema,
  googleScopes,
  googleTokenUrl,
  type GoogleSourceConfig,
  type GoogleSourceConfigInput,
} from './config.js';
export type { TransportReport } from './transport.js';

/**
 * The `google` source factory. The Google user id becomes the LiteLLM `user_id` by default: it
 * is the `sub` of a Google sign-in, which LiteLLM's own Google SSO uses as the user id.
 */
export const googleSource: SourceFactory<GoogleSourceConfig> = {
  configSchema: googleSourceConfigSchema,
  defaultUserIdAttribute: googleDefaultUserIdAttribute,
  create: (config, deps) => createGoogleSource(config, deps),
};

/** A Google source, with the transport's counters for reports and tests. */
export type GoogleSource = Source & {
  /** Calls, quota refusals and time spent waiting, so far. */
  report(): TransportReport;
};

/** Test seams: time and randomness of waits and backoff. */
export type GoogleSourceOptions = {
  readonly sleep?: Sleep | undefined;
  readonly random?: (() => number) | undefined;
};

type Read = { readonly groups: GroupRead; readonly users: UserRead };

/** Builds a Google source. */
export function createGoogleSource(
  config: GoogleSourceConfig,
  deps: SourceDeps,
  options: GoogleSourceOptions = {},
): GoogleSource {
  const logger = deps.logger.child({ source: 'google', customer: config.customerId });
  const transport = createGoogleTransport({
    fetch: deps.fetch,
    tokenUrl: config.tokenUrl,
    queriesPerMinute: config.queriesPerMinute,
    timeoutMs: config.requestTimeoutMs,
    now: () => deps.now().getTime(),
    sleep: options.sleep ?? abortableSleep,
    random: options.random ?? Math.random,
  });
  // Built on first use: a key that stopped parsing fails a read, not the worker's start.
  let reader: GoogleReader | undefined;
  const readerOf = (): GoogleReader =>
    (reader ??= createGoogleReader({
      key: loadKey(config),
      subject: config.subject,
      customerId: config.customerId,
      apiBaseUrl: config.apiBaseUrl,
      fetchImplementation: transport.fetchImplementation,
    }));
  const scope = compileScope(config.scope);
  let served: { kind: 'live' } | { kind: 'read'; read: Read } | { kind: 'failed'; error: unknown } =
    { kind: 'live' };

  const readGroupsLive = async (signal?: AbortSignal): Promise<GroupRead> => {
    const result = await readGroups(readerOf(), scope, config.concurrency, signal);
    for (const cycle of result.cycles) {
      logger.warn({ groupIds: cycle }, 'google groups contain each other; members merged');
    }
    return result;
  };
  const current = async (signal?: AbortSignal): Promise<Read> => {
    if (served.kind === 'failed') {
      throw served.error;
    }
    if (served.kind === 'read') {
      return served.read;
    }
    return { groups: await readGroupsLive(signal), users: await readUsers(readerOf(), signal) };
  };

  return {
    name: 'google',
    async prepare(_mode: ReadMode, signal?: AbortSignal) {
      const before = transport.report();
      try {
        const groups = await readGroupsLive(signal);
        const users = await readUsers(readerOf(), signal);
        served = { kind: 'read', read: { groups, users } };
        logger.info(
          {
            groups: groups.groups.length,
            users: users.users.length,
            unknownStatus: users.unknownStatus.length,
            ...since(before, transport.report()),
          },
          'google directory read',
        );
      } catch (error) {
        served = { kind: 'failed', error };
        logger.warn({ error: errorMessage(error) }, 'google directory read failed');
        throw error;
      }
    },
    listGroups: signal => ({
      async *[Symbol.asyncIterator]() {
        yield* (await current(signal)).groups.groups;
      },
    }),
    listUsers: signal => ({
      async *[Symbol.asyncIterator]() {
        const { users } = await current(signal);
        yield* users.users;
        if (users.unknownStatus.length > 0) {
          throw unknownStatusError(users.unknownStatus);
        }
      },
    }),
    readUser: (subject, signal) => readOneUser(readerOf, readGroupsLive, subject, signal),
    report: () => transport.report(),
    usage: () => transport.report(),
  };
}

/**
 * One user and their in-scope groups. `users.get` takes the Google id (a sign-in's `sub`), the
 * primary e-mail or an alias; the groups come from a group read, which also sees nesting.
 */
async function readOneUser(
  readerOf: () => GoogleReader,
  groupsOf: (signal?: AbortSignal) => Promise<GroupRead>,
  subject: string,
  signal?: AbortSignal,
): Promise<UserReading> {
  const trimmed = subject.trim();
  const found = trimmed === '' ? undefined : await readerOf().getUser(trimmed, signal);
  if (found === undefined) {
    return { kind: 'deleted', source: 'google', subject };
  }
  const user: IdpUser | undefined = toIdpUser(found);
  if (user === undefined) {
    throw unknownStatusError([found.id]);
  }
  const { groups } = await groupsOf(signal);
  return {
    kind: 'found',
    source: 'google',
    user,
    groups: groups
      .filter((group: IdpGroup) => group.memberIds.includes(user.externalId))
      .map(group => ({ externalId: group.externalId, name: group.name })),
  };
}

function unknownStatusError(ids: readonly string[]): SyncError {
  const shown = ids.slice(0, 5).join(', ');
  return new SyncError(
    'SOURCE_INVALID_RESPONSE',
    `Google gave no suspended/archived status for ${ids.length} user(s) (${shown}${ids.length > 5 ? ', …' : ''}); their status is unknown, so no user is removed or disabled this run`,
  );
}

function loadKey(config: GoogleSourceConfig) {
  try {
    return loadServiceAccountKey(config);
  } catch (error) {
    throw new SyncError(
      'CONFIG_INVALID',
      `GOOGLE_SERVICE_ACCOUNT_KEY_FILE / GOOGLE_SERVICE_ACCOUNT_JSON: ${errorMessage(error)}`,
      { cause: error },
    );
  }
}

function since(before: TransportReport, after: TransportReport): TransportReport {
  return {
    calls: after.calls - before.calls,
    throttled: after.throttled - before.throttled,
    waitedMs: after.waitedMs - before.waitedMs,
  };
}
