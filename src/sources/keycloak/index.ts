/**
 * The `keycloak` source: groups, sub-group members and user status from one Keycloak realm
 * through `@keycloak/keycloak-admin-client`, as a confidential client (client credentials).
 *
 * Keycloak has no delta API for users and groups, so every run reads in full. `prepare` drops
 * the token (each run re-authenticates), does that read once, and the two lists serve it;
 * without a prepare the lists read live; after a failed one they fail too (the snapshot is
 * incomplete, so nothing is removed). A user without `enabled` is left out of `listUsers`, and
 * the list then fails after yielding the others.
 *
 * @see /work/shared/reference/idp-apis.md §F
 */
import { SyncError, errorMessage } from '../../errors.js';
import type { IdpGroup, UserReading } from '../../model.js';
import { compileScope, type GroupScope } from '../scope.js';
import type { ReadMode, Source, SourceDeps, SourceFactory } from '../types.js';
import type { KeycloakUser } from './api.js';
import { createKeycloakReader, type KeycloakReader } from './client.js';
import { keycloakSourceConfigSchema, type KeycloakSourceConfig } from './config.js';
import { toIdpUser } from './map.js';
import { groupsReaching, readGroups, readTree, readUsers, type UserRead } from './read.js';
import { createTokenProvider } from './token.js';

export {
  keycloakSourceConfigSchema,
  type KeycloakSourceConfig,
  type KeycloakSourceConfigInput,
} from './config.js';

/**
 * The `keycloak` source factory. The username becomes the LiteLLM `user_id` by default: it is
 * Keycloak's `preferred_username` claim, which LiteLLM's generic OIDC SSO uses as the user id
 * (`GENERIC_USER_ID_ATTRIBUTE` defaults to `preferred_username`).
 */
export const keycloakSource: SourceFactory<KeycloakSourceConfig> = {
  configSchema: keycloakSourceConfigSchema,
  defaultUserIdAttribute: 'login',
  create: (config, deps) => createKeycloakSource(config, deps),
};

/** A Keycloak source, with the number of token requests (one per run expected). */
export type KeycloakSource = Source & { tokenRequests(): number };

type Read = { readonly groups: readonly IdpGroup[]; readonly users: UserRead };

/** Builds a Keycloak source. */
export function createKeycloakSource(
  config: KeycloakSourceConfig,
  deps: SourceDeps,
): KeycloakSource {
  const logger = deps.logger.child({ source: 'keycloak', realm: config.realm });
  const tokens = createTokenProvider({
    fetch: deps.fetch,
    url: config.url,
    realm: config.realm,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    timeoutMs: config.requestTimeoutMs,
    now: () => deps.now().getTime(),
  });
  const reader = createKeycloakReader({
    url: config.url,
    realm: config.realm,
    pageSize: config.pageSize,
    timeoutMs: config.requestTimeoutMs,
    tokens,
  });
  const scope = compileScope(config.scope);
  let served: { kind: 'live' } | { kind: 'read'; read: Read } | { kind: 'failed'; error: unknown } =
    { kind: 'live' };

  const readAll = async (signal?: AbortSignal): Promise<Read> => {
    const { groups, cycles } = await readGroups(reader, scope, config.concurrency, signal);
    for (const cycle of cycles) {
      logger.warn({ groupIds: cycle }, 'keycloak groups contain each other; members merged');
    }
    return { groups, users: await readUsers(reader, signal) };
  };
  const current = async (signal?: AbortSignal): Promise<Read> => {
    if (served.kind === 'failed') {
      throw served.error;
    }
    return served.kind === 'read' ? served.read : readAll(signal);
  };

  return {
    name: 'keycloak',
    async prepare(_mode: ReadMode, signal?: AbortSignal) {
      // Re-authenticate per run: a token from the last run may have outlived a secret rotation.
      tokens.invalidate();
      try {
        const read = await readAll(signal);
        served = { kind: 'read', read };
        logger.info(
          {
            groups: read.groups.length,
            users: read.users.users.length,
            unknownStatus: read.users.unknownStatus.length,
          },
          'keycloak realm read',
        );
      } catch (error) {
        served = { kind: 'failed', error };
        logger.warn({ error: errorMessage(error) }, 'keycloak realm read failed');
        throw error;
      }
    },
    listGroups: signal => ({
      async *[Symbol.asyncIterator]() {
        yield* (await current(signal)).groups;
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
    readUser: (subject, signal) => readOneUser(reader, scope, config.concurrency, subject, signal),
    tokenRequests: () => tokens.requests,
  };
}

/**
 * One user and their in-scope groups. The subject may be the Keycloak id (an ID token's `sub`),
 * the username (`preferred_username`) or the e-mail; the groups are the in-scope ancestors of the
 * user's direct groups.
 */
async function readOneUser(
  reader: KeycloakReader,
  scope: GroupScope,
  concurrency: number,
  subject: string,
  signal?: AbortSignal,
): Promise<UserReading> {
  const trimmed = subject.trim();
  const found = trimmed === '' ? undefined : await findUser(reader, trimmed);
  if (found === undefined) {
    return { kind: 'deleted', source: 'keycloak', subject };
  }
  const user = toIdpUser(found);
  if (user === undefined) {
    throw unknownStatusError([found.id]);
  }
  const [tree, direct] = await Promise.all([
    readTree(reader, concurrency, signal),
    reader.listUserGroups(found.id, signal),
  ]);
  return {
    kind: 'found',
    source: 'keycloak',
    user,
    groups: groupsReaching(
      tree,
      scope,
      direct.map(group => group.id),
    ),
  };
}

async function findUser(
  reader: KeycloakReader,
  subject: string,
): Promise<KeycloakUser | undefined> {
  const byId = await reader.getUser(subject).catch((error: unknown) => {
    // Some Keycloak versions answer a malformed id with 400/404 alike.
    if (error instanceof SyncError && (error.code === 'SOURCE_NOT_FOUND' || error.status === 400)) {
      return undefined;
    }
    throw error;
  });
  if (byId !== undefined) {
    return byId;
  }
  for (const field of subject.includes('@')
    ? (['username', 'email'] as const)
    : (['username'] as const)) {
    const matches = (await reader.findUsers(field, subject)).filter(
      user =>
        (field === 'email' ? user.email : user.username)?.toLowerCase() === subject.toLowerCase(),
    );
    if (matches.length > 1) {
      throw new SyncError(
        'SOURCE_INVALID_RESPONSE',
        `${matches.length} Keycloak users have the ${field} ${subject}; look the user up by id`,
      );
    }
    if (matches[0] !== undefined) {
      return matches[0];
    }
  }
  return undefined;
}

function unknownStatusError(ids: readonly string[]): SyncError {
  const shown = ids.slice(0, 5).join(', ');
  return new SyncError(
    'SOURCE_INVALID_RESPONSE',
    `Keycloak gave no enabled flag for ${ids.length} user(s) (${shown}${ids.length > 5 ? ', …' : ''}); their status is unknown, so no user is removed or disabled this run`,
  );
}
