/**
 * The Okta reads this source makes, over `@okta/okta-sdk-nodejs` 8: the SDK builds the URLs,
 * authenticates (SSWS token, or an OAuth service app with a `private_key_jwt` assertion) and
 * follows `Link` headers; the governed executor underneath is the transport. Each read collects
 * its pages, checks every item against the schemas in `api.ts`, and translates failures.
 *
 * The SDK is constructed with `cacheMiddleware: null`: its default cache keeps single-resource
 * GETs forever (keyed by `_links.self.href`), so `getUser` would never see a suspension. Note it
 * also merges `okta.yaml` (working directory, `~/.okta/`) and `OKTA_CLIENT_*` variables into its
 * configuration; the explicit values below win for every field this source uses.
 *
 * @see /work/shared/reference/idp-apis.md §C "SDK", "Auth"
 */
import { AsyncLocalStorage } from 'node:async_hooks';

import { Client } from '@okta/okta-sdk-nodejs';
import type { z } from 'zod';

import { SyncError } from '../../errors.js';
import type { FetchFn } from '../../http/fetch-json.js';
import type { Sleep } from '../../http/retry.js';
import {
  appGroupAssignmentSchema,
  oktaGroupSchema,
  oktaUserSchema,
  type OktaGroup,
  type OktaUser,
} from './api.js';
import type { Budget } from './budget.js';
import { requiredScopes, type OktaSourceConfig } from './config.js';
import { toSyncError, type AuthMode } from './errors.js';
import { GovernedRequestExecutor, type CallContext } from './executor.js';
import { createPageGuard } from '../page-guard.js';
import { parseSourceItem } from '../parse-item.js';

/** Okta's recommended page size for every list read here. */
const pageSize = 200;

/** The reads the source makes; every list is read to its last page or throws. */
export type OktaReader = {
  /** `GET /api/v1/groups` (optionally with a `filter` expression). */
  listGroups(filter: string | undefined, signal?: AbortSignal): Promise<OktaGroup[]>;
  /** `GET /api/v1/groups/{id}`; `undefined` when Okta says 404. */
  getGroup(groupId: string, signal?: AbortSignal): Promise<OktaGroup | undefined>;
  /** `GET /api/v1/groups/{id}/users`: members with their status, deactivated ones included. */
  listGroupMembers(groupId: string, signal?: AbortSignal): Promise<OktaUser[]>;
  /** `GET /api/v1/users?filter=…` (a filter includes `DEPROVISIONED` users). */
  listUsers(filter: string, signal?: AbortSignal): Promise<OktaUser[]>;
  /** `GET /api/v1/users/{idOrLogin}`; `undefined` when Okta says 404. */
  getUser(idOrLogin: string, signal?: AbortSignal): Promise<OktaUser | undefined>;
  /** `GET /api/v1/users/{id}/groups` (`Everyone` included). */
  listUserGroups(userId: string, signal?: AbortSignal): Promise<OktaGroup[]>;
  /** Ids of the groups assigned to an app (`GET /api/v1/apps/{id}/groups`). */
  listAppGroupIds(appId: string, signal?: AbortSignal): Promise<string[]>;
};

/** What the reader needs besides its configuration. */
export type ReaderDeps = {
  readonly fetch: FetchFn;
  readonly budget: Budget;
  readonly sleep: Sleep;
  readonly random: () => number;
};

/** The SDK's constructor argument (its `V2Configuration` type is not exported). */
type ClientConfig = NonNullable<ConstructorParameters<typeof Client>[0]>;

/** Builds the SDK client over the governed executor and wraps the reads. */
export function createOktaReader(config: OktaSourceConfig, deps: ReaderDeps): OktaReader {
  const context = new AsyncLocalStorage<CallContext>();
  const executor = new GovernedRequestExecutor({
    ...deps,
    timeoutMs: config.requestTimeoutMs,
    context,
  });
  const mode: AuthMode = config.apiToken === undefined ? 'oauth' : 'token';
  const client = new Client(clientConfig(config, executor));

  /**
   * Runs one read with `signal` visible to the executor, translating what it throws. A list read
   * gets a page guard of its own, which the executor holds each page to.
   */
  const read = async <T>(what: string, signal: AbortSignal | undefined, fn: () => Promise<T>) => {
    const listing = isListRead(what) ? createPageGuard(what) : undefined;
    try {
      return await context.run({ signal, listing }, fn);
    } catch (error) {
      throw toSyncError(error, what, mode);
    }
  };
  const notFoundAsUndefined = async <T>(promise: Promise<T>): Promise<T | undefined> => {
    try {
      return await promise;
    } catch (error) {
      if (error instanceof SyncError && error.code === 'SOURCE_NOT_FOUND') {
        return undefined;
      }
      throw error;
    }
  };

  return {
    listGroups: (filter, signal) =>
      read('GET /api/v1/groups', signal, async () =>
        collect(
          await client.groupApi.listGroups({ limit: pageSize, filter }),
          oktaGroupSchema,
          'GET /api/v1/groups',
        ),
      ),
    getGroup: (groupId, signal) =>
      notFoundAsUndefined(
        read('GET /api/v1/groups/{id}', signal, async () =>
          parseSourceItem(
            await client.groupApi.getGroup({ groupId }),
            oktaGroupSchema,
            'GET /api/v1/groups/{id}',
          ),
        ),
      ),
    listGroupMembers: (groupId, signal) =>
      read('GET /api/v1/groups/{id}/users', signal, async () =>
        collect(
          await client.groupApi.listGroupUsers({ groupId, limit: pageSize }),
          oktaUserSchema,
          'GET /api/v1/groups/{id}/users',
        ),
      ),
    listUsers: (filter, signal) =>
      read('GET /api/v1/users', signal, async () =>
        collect(
          await client.userApi.listUsers({ filter, limit: pageSize }),
          oktaUserSchema,
          'GET /api/v1/users',
        ),
      ),
    getUser: (idOrLogin, signal) =>
      notFoundAsUndefined(
        read('GET /api/v1/users/{id}', signal, async () =>
          parseSourceItem(
            await client.userApi.getUser({ userId: idOrLogin }),
            oktaUserSchema,
            'GET /api/v1/users/{id}',
          ),
        ),
      ),
    listUserGroups: (userId, signal) =>
      read('GET /api/v1/users/{id}/groups', signal, async () =>
        collect(
          await client.userApi.listUserGroups({ userId }),
          oktaGroupSchema,
          'GET /api/v1/users/{id}/groups',
        ),
      ),
    listAppGroupIds: (appId, signal) =>
      read('GET /api/v1/apps/{id}/groups', signal, async () => {
        const assignments = await collect(
          await client.applicationApi.listApplicationGroupAssignments({ appId, limit: pageSize }),
          appGroupAssignmentSchema,
          'GET /api/v1/apps/{id}/groups',
        );
        return assignments.map(assignment => assignment.id);
      }),
  };
}

/** Every read but the single-resource GETs (`…/{id}` at the end) lists pages. */
function isListRead(what: string): boolean {
  return !what.endsWith('/{id}');
}

function clientConfig(config: OktaSourceConfig, executor: GovernedRequestExecutor): ClientConfig {
  const common = {
    orgUrl: config.orgUrl,
    requestExecutor: executor,
    cacheMiddleware: null,
    // Names this integration in Okta's rate-limit dashboard and System Log.
    userAgent: 'litellm-idp-sync',
  };
  if (config.apiToken !== undefined) {
    return { ...common, authorizationMode: 'SSWS', token: config.apiToken };
  }
  return {
    ...common,
    authorizationMode: 'PrivateKey',
    clientId: config.clientId,
    scopes: requiredScopes(config),
    privateKey: config.privateKey,
    keyId: config.keyId,
  };
}

/** Reads every page of an SDK collection, skipping the `null` an empty page yields. */
async function collect<T>(
  collection: AsyncIterable<unknown>,
  schema: z.ZodType<T>,
  what: string,
): Promise<T[]> {
  const items: T[] = [];
  for await (const item of collection) {
    if (item !== null && item !== undefined) {
      items.push(parseSourceItem(item, schema, what));
    }
  }
  return items;
}
