/**
 * A thin, typed reader over `@googleapis/admin` (Directory API v1): paged lists followed to the
 * end, each page checked with zod, every failure translated to a `SyncError`. The SDK does the
 * URLs, query strings and OAuth; the transport (`transport.ts`) does the wire.
 *
 * @see /work/shared/reference/idp-apis.md §E "SDK configuration"
 */
import { admin, auth } from '@googleapis/admin';
import type { z } from 'zod';

import { parseJsonBody } from '../../http/fetch-json.js';
import {
  googleUserSchema,
  groupsPageSchema,
  membersPageSchema,
  usersPageSchema,
  type GoogleGroup,
  type GoogleMember,
  type GoogleUser,
} from './api.js';
import { googleScopes, type ServiceAccountKey } from './config.js';
import { createPageGuard } from '../page-guard.js';
import { toSyncError } from './errors.js';

/** Page sizes: the Directory API's maxima. */
export const pageSizes = { users: 500, groups: 200, members: 200 } as const;

/** What the reader needs. */
export type ReaderOptions = {
  readonly key: ServiceAccountKey;
  readonly subject: string;
  readonly customerId: string;
  readonly apiBaseUrl?: string | undefined;
  readonly fetchImplementation: typeof fetch;
};

/** The reads the source makes. */
export type GoogleReader = {
  listUsers(signal?: AbortSignal): Promise<GoogleUser[]>;
  listGroups(signal?: AbortSignal): Promise<GoogleGroup[]>;
  /** Direct members (users and nested groups) of one group. */
  listMembers(groupKey: string, signal?: AbortSignal): Promise<GoogleMember[]>;
  /** One user by id, primary e-mail or alias; `undefined` when Google answers 404. */
  getUser(userKey: string, signal?: AbortSignal): Promise<GoogleUser | undefined>;
};

/** Builds the reader: one JWT client (domain-wide delegation) and one Directory API client. */
export function createGoogleReader(options: ReaderOptions): GoogleReader {
  const jwt = new auth.JWT({
    email: options.key.client_email,
    key: options.key.private_key,
    keyId: options.key.private_key_id,
    scopes: [...googleScopes],
    subject: options.subject,
    // The SDK's own transport hook: gtoken's token request and every API call use it.
    transporterOptions: { fetchImplementation: options.fetchImplementation },
  });
  const directory = admin({
    version: 'directory_v1',
    auth: jwt,
    ...(options.apiBaseUrl === undefined ? {} : { rootUrl: withSlash(options.apiBaseUrl) }),
  });
  // The SDK's retry (gaxios) ignores Retry-After and 403 quota errors; the transport retries.
  const callOptions = (signal: AbortSignal | undefined) => ({ retry: false, signal });
  /**
   * A 401 from the API (a token revoked or expired early) gets one fresh token and one retry.
   * The SDK's own `forceRefreshOnFailure` does not help here: after the first token the JWT
   * client's credentials carry no refresh token, so it never retries (google-auth-library 10.5).
   */
  const reauthing = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      if (!isApiUnauthorized(error)) {
        throw error;
      }
      // The constructor's own "expired" marker: the next call fetches a token, bypassing caches.
      jwt.setCredentials({ refresh_token: 'jwt-placeholder', expiry_date: 1 });
      return call();
    }
  };

  return {
    listUsers: signal =>
      paged('GET users', usersPageSchema, 'users', pageToken =>
        reauthing(() =>
          directory.users.list(
            {
              customer: options.customerId,
              maxResults: pageSizes.users,
              projection: 'basic',
              ...(pageToken === undefined ? {} : { pageToken }),
            },
            callOptions(signal),
          ),
        ),
      ),
    listGroups: signal =>
      paged('GET groups', groupsPageSchema, 'groups', pageToken =>
        reauthing(() =>
          directory.groups.list(
            {
              customer: options.customerId,
              maxResults: pageSizes.groups,
              ...(pageToken === undefined ? {} : { pageToken }),
            },
            callOptions(signal),
          ),
        ),
      ),
    listMembers: (groupKey, signal) =>
      paged('GET groups/{groupKey}/members', membersPageSchema, 'members', pageToken =>
        reauthing(() =>
          directory.members.list(
            {
              groupKey,
              maxResults: pageSizes.members,
              ...(pageToken === undefined ? {} : { pageToken }),
            },
            callOptions(signal),
          ),
        ),
      ),
    async getUser(userKey, signal) {
      const what = 'GET users/{userKey}';
      try {
        const answer = await reauthing(() =>
          directory.users.get({ userKey, projection: 'basic' }, callOptions(signal)),
        );
        return parse(answer.data, googleUserSchema, what);
      } catch (error) {
        const failure = toSyncError(error, what);
        if (failure.code === 'SOURCE_NOT_FOUND') {
          return undefined;
        }
        throw failure;
      }
    },
  };
}

type Page<K extends string, T> = { readonly [P in K]?: readonly T[] | null | undefined } & {
  readonly nextPageToken?: string | null | undefined;
};

/**
 * Follows `nextPageToken` to the last page. A token seen twice is a server bug that would loop
 * forever, and so is an endless run of empty pages; either fails the read (see `page-guard.ts`).
 */
async function paged<K extends string, T>(
  what: string,
  schema: z.ZodType<Page<K, T>>,
  key: K,
  fetchPage: (pageToken: string | undefined) => Promise<{ data: unknown }>,
): Promise<T[]> {
  const items: T[] = [];
  const guard = createPageGuard(what);
  let pageToken: string | undefined;
  do {
    let data: unknown;
    try {
      ({ data } = await fetchPage(pageToken));
    } catch (error) {
      throw toSyncError(error, what);
    }
    const page = parse(data, schema, what);
    const found = page[key] ?? [];
    items.push(...found);
    guard.page(found.length);
    pageToken = page.nextPageToken ?? undefined;
    if (pageToken !== undefined) {
      guard.cursor(pageToken);
    }
  } while (pageToken !== undefined);
  return items;
}

function parse<T>(data: unknown, schema: z.ZodType<T>, what: string): T {
  // Through the shared parser so a bad body reads like every other source's.
  return parseJsonBody(JSON.stringify(data ?? null), schema, {
    endpoint: what,
    code: 'SOURCE_INVALID_RESPONSE',
  });
}

/** A 401 from a Directory API call (not from the token endpoint, which a retry would not fix). */
function isApiUnauthorized(error: unknown): boolean {
  if (!(error instanceof Error) || !('response' in error)) {
    return false;
  }
  const response = (error as { response?: { status?: unknown; config?: { url?: unknown } } })
    .response;
  const url = response?.config?.url;
  const target = typeof url === 'string' || url instanceof URL ? url.toString() : '';
  return response?.status === 401 && !target.includes('/token');
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
