import type { z } from 'zod';

import type { Logger } from '../log.js';
import type { IdpGroup, IdpUser, SourceName, UserReading } from '../model.js';
import type { GroupPath } from './group-paths.js';

/**
 * The read side of one identity provider. Lists stream so that paging stays inside the connector;
 * a list that cannot be read to the end throws, which makes the snapshot incomplete.
 */
export interface Source {
  readonly name: SourceName;
  /** In-scope groups, each with its members flattened through nested groups. */
  listGroups(signal?: AbortSignal): AsyncIterable<IdpGroup>;
  /**
   * Users with their status. Must include at least every member of every in-scope group, so
   * that a disabled member is seen as disabled rather than as missing.
   */
  listUsers(signal?: AbortSignal): AsyncIterable<IdpUser>;
  /**
   * One user and their in-scope groups, by IdP id, login or e-mail. `deleted` only when the IdP
   * says the user does not exist; any failure to read throws instead.
   */
  readUser(subject: string, signal?: AbortSignal): Promise<UserReading>;
  /**
   * Optional: brings the source's own mirror up to date before the lists are read — Entra delta
   * queries, Okta `lastUpdated` filters — so an incremental run still yields a full snapshot.
   * `full` re-reads everything (the drift check, or when there is no valid cursor). If it
   * throws, the snapshot is incomplete. Sources without it always read in full.
   */
  prepare?(mode: ReadMode, signal?: AbortSignal): Promise<void>;
  /**
   * Optional (`idp-sync explain`): how the user (by IdP id) reaches each in-scope group through
   * nested groups. Sources that only report transitive membership leave it out; explain then
   * shows the group without the path.
   */
  groupPaths?(externalId: string, signal?: AbortSignal): Promise<readonly GroupPath[]>;
  /**
   * Optional: what reading cost the IdP — calls per endpoint, throttled answers, time waited,
   * resource units — since the last `prepare` (or since creation). Reported in the run summary.
   */
  usage?(): unknown;
}

export type { GroupPath } from './group-paths.js';

/** How a scheduled run reads: only what changed since the last cursor, or everything. */
export type ReadMode = 'incremental' | 'full';

/**
 * A private, persistent key-value namespace for one source (delta links, watermarks, mirror
 * rows). Structurally the store's `KeyValueStore`; sources must not import the store.
 */
export type SourceState = {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
  delete(key: string): void;
  entries(prefix: string): Iterable<[string, string]>;
  deletePrefix(prefix: string): void;
  transaction<T>(fn: () => T): T;
};

/** What every source factory receives besides its own configuration. */
export type SourceDeps = {
  readonly fetch: typeof fetch;
  readonly logger: Logger;
  /** This source's persistent state namespace. */
  readonly state: SourceState;
  /** The clock, injectable for tests (delta-token expiry, watermarks). */
  readonly now: () => Date;
};

/** How a source kind is configured and built. */
export type SourceFactory<C> = {
  readonly configSchema: z.ZodType<C>;
  /** Which IdP attribute becomes the LiteLLM `user_id` unless configured otherwise. */
  readonly defaultUserIdAttribute: UserIdAttribute;
  create(config: C, deps: SourceDeps): Source;
};

/** The IdP attribute that becomes LiteLLM's `user_id`. */
export type UserIdAttribute = 'externalId' | 'login' | 'email';
