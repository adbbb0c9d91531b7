/**
 * A thin, typed reader over `@keycloak/keycloak-admin-client`: offset-paged lists (`first`/`max`,
 * stopping at a short page), each answer checked with zod, failures translated to `SyncError`.
 * The client gets its tokens from `token.ts`; a 401 drops the token and retries the call once.
 *
 * The admin client calls the global `fetch` and takes no custom one, so `deps.fetch` carries the
 * token request only; the admin calls honour `requestTimeoutMs` through the client's `timeout`.
 *
 * @see /work/shared/reference/idp-apis.md §F "`@keycloak/keycloak-admin-client` 26.7.4"
 */
import KcAdminClient, { NetworkError } from '@keycloak/keycloak-admin-client';
import { z } from 'zod';

import { SyncError, errorMessage } from '../../errors.js';
import {
  keycloakGroupSchema,
  keycloakUserSchema,
  type KeycloakGroup,
  type KeycloakUser,
} from './api.js';
import { createPageGuard } from '../page-guard.js';
import type { TokenProvider } from './token.js';

/** What the reader needs. */
export type ReaderOptions = {
  readonly url: string;
  readonly realm: string;
  readonly pageSize: number;
  readonly timeoutMs: number;
  readonly tokens: TokenProvider;
};

/** The reads the source makes. */
export type KeycloakReader = {
  listUsers(signal?: AbortSignal): Promise<KeycloakUser[]>;
  /** Top-level groups. */
  listTopGroups(signal?: AbortSignal): Promise<KeycloakGroup[]>;
  /** Direct sub-groups (`/groups/{id}/children`, Keycloak ≥ 23). */
  listChildren(parentId: string, signal?: AbortSignal): Promise<KeycloakGroup[]>;
  /** Direct members of a group. */
  listMembers(groupId: string, signal?: AbortSignal): Promise<KeycloakUser[]>;
  /** One user by id; `undefined` when Keycloak answers 404. */
  getUser(id: string): Promise<KeycloakUser | undefined>;
  /** Users whose username or e-mail equals `value` exactly. */
  findUsers(field: 'username' | 'email', value: string): Promise<KeycloakUser[]>;
  /** The groups a user is a direct member of. */
  listUserGroups(userId: string, signal?: AbortSignal): Promise<KeycloakGroup[]>;
};

/** Builds the reader. */
export function createKeycloakReader(options: ReaderOptions): KeycloakReader {
  const kc = new KcAdminClient({
    baseUrl: options.url,
    realmName: options.realm,
    timeout: options.timeoutMs,
  });
  kc.registerTokenProvider({ getAccessToken: () => options.tokens.get() });
  const max = options.pageSize;

  /** One call, with a fresh token and one more try after a 401. */
  const call = async <T>(what: string, fn: () => Promise<unknown>, schema: z.ZodType<T>) => {
    let data: unknown;
    try {
      data = await fn();
    } catch (error) {
      if (statusOf(error) !== 401) {
        throw toSyncError(error, what);
      }
      options.tokens.invalidate();
      try {
        data = await fn();
      } catch (again) {
        throw toSyncError(again, what);
      }
    }
    const parsed = schema.safeParse(data);
    if (!parsed.success) {
      throw new SyncError(
        'SOURCE_INVALID_RESPONSE',
        `${what} returned an unexpected body: ${parsed.error.issues[0]?.message ?? ''}`,
        { endpoint: what, cause: parsed.error },
      );
    }
    return parsed.data;
  };

  /**
   * Offset paging: a page shorter than `max` is the last. Keycloak sends no total and no link,
   * so a page that comes back again (the same items at the next offset) shows only as ids seen
   * twice, and fails the read; a skipped or empty page cannot be told from a smaller realm (see
   * `page-guard.ts` for what protects users then).
   */
  const paged = async <T extends { id: string }>(
    what: string,
    schema: z.ZodType<T>,
    fn: (first: number) => Promise<unknown>,
    signal: AbortSignal | undefined,
  ): Promise<T[]> => {
    const items: T[] = [];
    const guard = createPageGuard(what);
    for (let first = 0; ; first += max) {
      if (signal?.aborted === true) {
        throw new SyncError('ABORTED', `${what} aborted`, { cause: signal.reason });
      }
      const page = await call(what, () => fn(first), z.array(schema));
      guard.ids(page.map(item => item.id));
      items.push(...page);
      if (page.length < max) {
        return items;
      }
    }
  };

  return {
    listUsers: signal =>
      paged(
        'GET /users',
        keycloakUserSchema,
        first => kc.users.find({ first, max, briefRepresentation: true }),
        signal,
      ),
    listTopGroups: signal =>
      paged(
        'GET /groups',
        keycloakGroupSchema,
        first => kc.groups.find({ first, max, briefRepresentation: true }),
        signal,
      ),
    listChildren: (parentId, signal) =>
      paged(
        'GET /groups/{id}/children',
        keycloakGroupSchema,
        first => kc.groups.listSubGroups({ parentId, first, max, briefRepresentation: true }),
        signal,
      ),
    listMembers: (groupId, signal) =>
      paged(
        'GET /groups/{id}/members',
        keycloakUserSchema,
        first => kc.groups.listMembers({ id: groupId, first, max, briefRepresentation: true }),
        signal,
      ),
    getUser: async id =>
      // `findOne` catches the 404 itself and resolves to `null`.
      (await call(
        'GET /users/{id}',
        () => kc.users.findOne({ id }),
        keycloakUserSchema.nullish(),
      )) ?? undefined,
    findUsers: (field, value) =>
      call(
        'GET /users',
        () => kc.users.find({ [field]: value, exact: true, briefRepresentation: true }),
        z.array(keycloakUserSchema),
      ),
    listUserGroups: (userId, signal) =>
      paged(
        'GET /users/{id}/groups',
        keycloakGroupSchema,
        first => kc.users.listGroups({ id: userId, first, max, briefRepresentation: true }),
        signal,
      ),
  };
}

function statusOf(error: unknown): number | undefined {
  return error instanceof NetworkError ? error.response.status : undefined;
}

/** Translates a failed call; the message names the variable or the right to check. */
export function toSyncError(error: unknown, what: string): SyncError {
  if (error instanceof SyncError) {
    return error;
  }
  const status = statusOf(error);
  const details = { status, endpoint: what, cause: error };
  const said = `${status ?? 'no answer'}: ${errorMessage(error)}`;
  if (status === undefined) {
    // The SDK's own fetch failed (network, timeout): worth another try later.
    return new SyncError('SOURCE_UNAVAILABLE', `${what} failed (${said})`, details);
  }
  switch (true) {
    case status === 401:
      return new SyncError(
        'SOURCE_UNAUTHORIZED',
        `Keycloak rejected the token for ${what} (${said}); check KEYCLOAK_CLIENT_ID and KEYCLOAK_CLIENT_SECRET`,
        details,
      );
    case status === 403:
      return new SyncError(
        'SOURCE_UNAUTHORIZED',
        `Keycloak refused ${what} (${said}); give the client's service account the realm-management roles view-users and query-groups`,
        details,
      );
    case status === 404:
      return new SyncError('SOURCE_NOT_FOUND', `${what}: not found (${said})`, details);
    case status === 429:
      return new SyncError('SOURCE_RATE_LIMITED', `${what}: rate limited (${said})`, details);
    case status >= 500:
      return new SyncError('SOURCE_UNAVAILABLE', `${what} failed (${said})`, details);
    default:
      return new SyncError('SOURCE_INVALID_RESPONSE', `${what} was refused (${said})`, details);
  }
}
