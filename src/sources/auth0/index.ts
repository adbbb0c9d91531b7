/**
 * The `auth0` source: roles and/or organizations as teams, their members and the members'
 * `blocked` status, from an Auth0 tenant through the `auth0` 7 SDK (client credentials).
 *
 * Auth0 has no change feed fit for a mirror (`q=updated_at:[…]` stops at 1,000 results and the
 * log codes for deletions are undocumented), so every read is full. `prepare(mode)` does that
 * read once per run and the lists serve it; without a prepare each list reads Auth0 itself;
 * after a failed prepare they fail too (the snapshot is incomplete, so nothing is removed).
 *
 * @see /work/shared/reference/idp-apis.md §G
 */
import { errorMessage } from '../../errors.js';
import { abortableSleep, type Sleep } from '../../http/retry.js';
import type { IdpGroup, IdpUser } from '../../model.js';
import { reiterable } from '../reiterable.js';
import { compileScope } from '../scope.js';
import type { Source, SourceDeps, SourceFactory } from '../types.js';
import { createAuth0Reader } from './client.js';
import {
  auth0DefaultUserIdAttribute,
  auth0SourceConfigSchema,
  type Auth0SourceConfig,
} from './config.js';
import { readFull, type Auth0State, type FullReadOptions } from './read-full.js';
import { readUser } from './read-user.js';
import type { TransportReport } from './transport.js';

export {
  auth0SourceConfigSchema,
  auth0GroupKinds,
  type Auth0GroupsFrom,
  type Auth0SourceConfig,
  type Auth0SourceConfigInput,
} from './config.js';
export type { TransportReport } from './transport.js';

/**
 * The `auth0` source factory. The Auth0 `user_id` (the ID token's `sub`) becomes the LiteLLM
 * `user_id` by default: Auth0 issues no `preferred_username`, the claim LiteLLM's generic SSO
 * keys on by default, so an Auth0 login to LiteLLM is configured with
 * `GENERIC_USER_ID_ATTRIBUTE=sub`, the one identifier Auth0 guarantees unique and stable.
 */
export const auth0Source: SourceFactory<Auth0SourceConfig> = {
  configSchema: auth0SourceConfigSchema,
  defaultUserIdAttribute: auth0DefaultUserIdAttribute,
  create: (config, deps) => createAuth0Source(config, deps),
};

/** An Auth0 source, with the transport's call counts for reports and tests. */
export type Auth0Source = Source & {
  /** Calls and 429s per endpoint, and time spent waiting for rate-limit windows, so far. */
  report(): TransportReport;
};

/** Test seams: time and randomness of waits, backoff and export polling. */
export type Auth0SourceOptions = {
  readonly sleep?: Sleep | undefined;
  readonly random?: (() => number) | undefined;
};

/** Builds an Auth0 source. */
export function createAuth0Source(
  config: Auth0SourceConfig,
  deps: SourceDeps,
  options: Auth0SourceOptions = {},
): Auth0Source {
  const logger = deps.logger.child({ source: 'auth0', domain: config.domain });
  const reader = createAuth0Reader(config, {
    fetch: deps.fetch,
    sleep: options.sleep ?? abortableSleep,
    random: options.random ?? Math.random,
    now: () => deps.now().getTime(),
  });
  const scope = compileScope(config.scope);
  const readOptions: FullReadOptions = {
    scope,
    groupsFrom: config.groupsFrom,
    concurrency: config.concurrency,
  };
  // Per instance: what this instance's last prepare left the lists to serve.
  let served:
    { kind: 'live' } | { kind: 'read'; state: Auth0State } | { kind: 'failed'; error: unknown } = {
    kind: 'live',
  };
  const readState = async (signal?: AbortSignal): Promise<Auth0State> => {
    if (served.kind === 'failed') {
      throw served.error;
    }
    return served.kind === 'read' ? served.state : readFull(reader, readOptions, signal);
  };

  return {
    name: 'auth0',
    async prepare(mode, signal) {
      const started = deps.now().getTime();
      try {
        const state = await readFull(reader, readOptions, signal);
        served = { kind: 'read', state };
        logger.info(
          {
            requested: mode,
            groups: state.groups.length,
            users: state.users.size,
            ms: deps.now().getTime() - started,
            calls: reader.report().calls,
          },
          'auth0 read',
        );
      } catch (error) {
        served = { kind: 'failed', error };
        logger.warn({ mode, error: errorMessage(error) }, 'auth0 read failed');
        throw error;
      }
    },
    listGroups: signal =>
      reiterable(async (): Promise<readonly IdpGroup[]> => (await readState(signal)).groups),
    listUsers: signal =>
      reiterable(async (): Promise<IdpUser[]> => [...(await readState(signal)).users.values()]),
    readUser: (subject, signal) =>
      readUser(reader, { scope, groupsFrom: config.groupsFrom }, subject, signal),
    report: () => reader.report(),
    usage: () => reader.report(),
  };
}
