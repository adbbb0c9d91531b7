/**
 * The Auth0 reads this source makes, over the `auth0` 7 SDK: the SDK builds the URLs, fetches
 * and caches the client-credentials token and follows the paging (offset pages stop at a short
 * page, checkpoint pages follow `next`); the transport underneath governs, retries and
 * redirects. Each read collects its pages through `pages.ts` (every page body checked, totals and
 * cursors held to a page guard), checks every item against `api.ts`, and translates failures
 * into `SyncError`s.
 *
 * @see /work/shared/reference/idp-apis.md §G
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { setMaxListeners } from 'node:events';
import { gunzipSync } from 'node:zlib';

import { ManagementClient } from 'auth0';

import { SyncError, errorMessage } from '../../errors.js';
import type { FetchFn } from '../../http/fetch-json.js';
import { startDeadline } from '../../http/deadline.js';
import type { Sleep } from '../../http/retry.js';
import {
  auth0JobSchema,
  auth0MemberSchema,
  auth0OrganizationSchema,
  auth0RoleSchema,
  auth0UserSchema,
  type Auth0Member,
  type Auth0Organization,
  type Auth0Role,
  type Auth0User,
} from './api.js';
import type { Auth0SourceConfig } from './config.js';
import { toSyncError } from './errors.js';
import { collectPages, pageBody, type PageSpec } from './pages.js';
import { createAuth0Transport, type CallContext, type TransportReport } from './transport.js';
import { parseSourceItem } from '../parse-item.js';

/** Largest page Auth0 serves (`per_page`, `take`). */
const pageSize = 100;
/** How far `GET /users` pages: beyond this many results Auth0 refuses, so exports take over. */
export const userListCap = 1_000;
/** `GET /users`: offset pages with the tenant's user count. */
const usersPaging: PageSpec<Auth0User> = {
  paging: 'offset',
  key: 'users',
  idOf: user => user.user_id,
};
/** The user fields an export carries (and the only ones this source reads). */
const exportFields = ['user_id', 'email', 'username', 'name', 'nickname', 'blocked'];

/** The reads the source makes; every list is read to its last page or throws. */
export type Auth0Reader = {
  listRoles(signal?: AbortSignal): Promise<Auth0Role[]>;
  /** `GET /roles/{id}/users`, checkpoint-paged (`from`/`take`), so past 1,000 members too. */
  listRoleMembers(roleId: string, signal?: AbortSignal): Promise<Auth0Member[]>;
  listOrganizations(signal?: AbortSignal): Promise<Auth0Organization[]>;
  /** `GET /organizations/{id}/members`, checkpoint-paged. */
  listOrganizationMembers(orgId: string, signal?: AbortSignal): Promise<Auth0Member[]>;
  /**
   * Every user of the tenant: `GET /users` when it holds at most {@link userListCap} users, else
   * a users-export job (create, poll, download the gzipped NDJSON file).
   */
  listAllUsers(signal?: AbortSignal): Promise<Auth0User[]>;
  /** `GET /users/{id}`; `undefined` when Auth0 says 404. */
  getUser(userId: string, signal?: AbortSignal): Promise<Auth0User | undefined>;
  /** `GET /users-by-email` (Auth0 compares the e-mail exactly; it stores them lower-cased). */
  usersByEmail(email: string, signal?: AbortSignal): Promise<Auth0User[]>;
  listUserRoles(userId: string, signal?: AbortSignal): Promise<Auth0Role[]>;
  listUserOrganizations(userId: string, signal?: AbortSignal): Promise<Auth0Organization[]>;
  /** Calls, 429s and rate-limit waits so far. */
  report(): TransportReport;
};

/** What the reader needs besides its configuration. */
export type ReaderDeps = {
  readonly fetch: FetchFn;
  readonly sleep: Sleep;
  readonly random: () => number;
  readonly now: () => number;
};

/** Builds the SDK client over the governed transport and wraps the reads. */
export function createAuth0Reader(config: Auth0SourceConfig, deps: ReaderDeps): Auth0Reader {
  const context = new AsyncLocalStorage<CallContext>();
  const transport = createAuth0Transport({
    ...deps,
    domain: config.domain,
    baseUrl: config.baseUrl,
    timeoutMs: config.requestTimeoutMs,
    context,
  });
  const client = new ManagementClient({
    domain: config.domain,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    fetch: transport.fetch,
    // The transport retries; SDK retries on top would multiply the waits.
    maxRetries: 0,
    // The transport times out each exchange; the SDK's own timeout must never fire first.
    timeoutInSeconds: 3_600,
  });

  /** Runs one read with `signal` visible to the transport, translating what it throws. */
  const read = async <T>(what: string, signal: AbortSignal | undefined, fn: () => Promise<T>) => {
    const store: CallContext = { signal };
    if (signal !== undefined) {
      // The SDK adds an abort listener per page and removes none until the read ends.
      setMaxListeners(0, signal);
    }
    try {
      return await context.run(store, fn);
    } catch (error) {
      if (signal?.aborted === true) {
        throw new SyncError('ABORTED', `${what} aborted`, { endpoint: what, cause: signal.reason });
      }
      throw store.failure ?? toSyncError(error, what);
    }
  };
  const options = (signal: AbortSignal | undefined) => ({ abortSignal: signal });
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

  const exportUsers = async (signal: AbortSignal | undefined): Promise<Auth0User[]> => {
    const job = await read('POST /jobs/users-exports', signal, async () =>
      parseSourceItem(
        await client.jobs.usersExports.create(
          { format: 'json', fields: exportFields.map(name => ({ name })) },
          options(signal),
        ),
        auth0JobSchema,
        'POST /jobs/users-exports',
      ),
    );
    const deadline = deps.now() + config.exportTimeoutMs;
    let current = job;
    while (current.status !== 'completed') {
      if (current.status === 'failed' || current.status === 'cancelled') {
        throw new SyncError(
          'SOURCE_UNAVAILABLE',
          `Auth0 users export ${job.id} ${current.status}`,
          {
            endpoint: 'GET /jobs/{id}',
          },
        );
      }
      if (deps.now() >= deadline) {
        throw new SyncError(
          'SOURCE_UNAVAILABLE',
          `Auth0 users export ${job.id} did not finish within ${config.exportTimeoutMs} ms (${current.percentage_done ?? 0}% done)`,
          { endpoint: 'GET /jobs/{id}' },
        );
      }
      await deps.sleep(config.exportPollMs, signal);
      current = await read('GET /jobs/{id}', signal, async () =>
        parseSourceItem(
          await client.jobs.get(job.id, options(signal)),
          auth0JobSchema,
          'GET /jobs/{id}',
        ),
      );
    }
    if (current.location === undefined || current.location === null) {
      throw new SyncError(
        'SOURCE_INVALID_RESPONSE',
        `Auth0 users export ${job.id} completed without a location`,
      );
    }
    return downloadExport(deps.fetch, current.location, config.requestTimeoutMs, signal);
  };

  return {
    listRoles: signal =>
      read('GET /roles', signal, async () =>
        collectPages(
          await client.roles.list({ per_page: pageSize }, options(signal)),
          { paging: 'offset', key: 'roles', idOf: role => role.id },
          auth0RoleSchema,
          'GET /roles',
        ),
      ),
    listRoleMembers: (roleId, signal) =>
      read('GET /roles/{id}/users', signal, async () =>
        collectPages(
          await client.roles.users.list(roleId, { take: pageSize }, options(signal)),
          { paging: 'checkpoint', key: 'users' },
          auth0MemberSchema,
          'GET /roles/{id}/users',
        ),
      ),
    listOrganizations: signal =>
      read('GET /organizations', signal, async () =>
        collectPages(
          await client.organizations.list({ take: pageSize }, options(signal)),
          { paging: 'checkpoint', key: 'organizations' },
          auth0OrganizationSchema,
          'GET /organizations',
        ),
      ),
    listOrganizationMembers: (orgId, signal) =>
      read('GET /organizations/{id}/members', signal, async () =>
        collectPages(
          await client.organizations.members.list(orgId, { take: pageSize }, options(signal)),
          { paging: 'checkpoint', key: 'members' },
          auth0MemberSchema,
          'GET /organizations/{id}/members',
        ),
      ),
    listAllUsers: async signal => {
      const first = await read('GET /users', signal, () =>
        client.users.list({ per_page: pageSize, include_totals: true }, options(signal)),
      );
      // Checked before the total decides between paging and an export: a `{}` is no tenant.
      const { total } = pageBody(first.response, usersPaging, 'GET /users');
      if (total !== undefined && total <= userListCap) {
        return read('GET /users', signal, () =>
          collectPages(first, usersPaging, auth0UserSchema, 'GET /users'),
        );
      }
      return exportUsers(signal);
    },
    getUser: (userId, signal) =>
      notFoundAsUndefined(
        read('GET /users/{id}', signal, async () =>
          parseSourceItem(
            await client.users.get(userId, {}, options(signal)),
            auth0UserSchema,
            'GET /users/{id}',
          ),
        ),
      ),
    usersByEmail: (email, signal) =>
      read('GET /users-by-email', signal, async () =>
        (await client.users.listUsersByEmail({ email }, options(signal))).map(user =>
          parseSourceItem(user, auth0UserSchema, 'GET /users-by-email'),
        ),
      ),
    listUserRoles: (userId, signal) =>
      read('GET /users/{id}/roles', signal, async () =>
        collectPages(
          await client.users.roles.list(userId, { per_page: pageSize }, options(signal)),
          { paging: 'offset', key: 'roles', idOf: role => role.id },
          auth0RoleSchema,
          'GET /users/{id}/roles',
        ),
      ),
    listUserOrganizations: (userId, signal) =>
      read('GET /users/{id}/organizations', signal, async () =>
        collectPages(
          await client.users.organizations.list(userId, { per_page: pageSize }, options(signal)),
          { paging: 'offset', key: 'organizations', idOf: org => org.id },
          auth0OrganizationSchema,
          'GET /users/{id}/organizations',
        ),
      ),
    report: () => transport.report(),
  };
}

/**
 * Downloads a finished export: a gzipped file of one JSON user per line, at a pre-signed URL on
 * another host. It goes out without the Management API token and outside the tenant's rate
 * limit, since it is not an API call.
 */
async function downloadExport(
  fetchFn: FetchFn,
  location: string,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<Auth0User[]> {
  const what = 'users export download';
  const deadline = startDeadline(timeoutMs, signal);
  let bytes: Buffer;
  try {
    const response = await fetchFn(location, { signal: deadline.signal });
    if (!response.ok) {
      throw new SyncError('SOURCE_UNAVAILABLE', `${what} answered ${response.status}`, {
        status: response.status,
        endpoint: what,
      });
    }
    bytes = Buffer.from(await response.arrayBuffer());
  } catch (error) {
    if (error instanceof SyncError) {
      throw error;
    }
    if (signal?.aborted === true) {
      throw new SyncError('ABORTED', `${what} aborted`, { endpoint: what, cause: error });
    }
    throw new SyncError('SOURCE_UNAVAILABLE', `${what} failed: ${errorMessage(error)}`, {
      endpoint: what,
      cause: error,
    });
  } finally {
    deadline.dispose();
  }
  // The file is stored gzipped (not sent with Content-Encoding), so fetch leaves it compressed.
  const gzipped = bytes[0] === 0x1f && bytes[1] === 0x8b;
  const text = (gzipped ? gunzipSync(bytes) : bytes).toString('utf8');
  return text
    .split('\n')
    .filter(line => line.trim() !== '')
    .map((line, index) => {
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch (error) {
        throw new SyncError('SOURCE_INVALID_RESPONSE', `${what}: line ${index + 1} is not JSON`, {
          endpoint: what,
          cause: error,
        });
      }
      return parseSourceItem(json, auth0UserSchema, what);
    });
}
