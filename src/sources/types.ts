import type { z } from 'zod';

import type { Logger } from '../log.js';
import type { IdpGroup, IdpUser, SourceName, UserReading } from '../model.js';

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
}

/** What every source factory receives besides its own configuration. */
export type SourceDeps = {
  readonly fetch: typeof fetch;
  readonly logger: Logger;
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
