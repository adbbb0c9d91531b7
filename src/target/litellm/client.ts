/**
 * The LiteLLM implementation of the `Target` port.
 *
 * Every call runs through one bounded limiter and `withRetry` (429 with `Retry-After`, 5xx,
 * 408, network failures and timeouts). Every write is safe to repeat: a retried `/team/new`
 * whose first attempt landed reads "already exists" and resolves as `'exists'`, and likewise
 * for members, users and keys.
 */
import type { Target } from '../types.js';
import { createKeyOps } from './keys.js';
import { createRequester } from './request.js';
import type { LiteLLMClientConfig, LiteLLMClientDeps } from './request.js';
import { createTeamOps } from './teams.js';
import { createUserOps } from './users.js';

export type { LiteLLMClientConfig, LiteLLMClientDeps } from './request.js';

/**
 * Creates a LiteLLM admin API client.
 *
 * @example
 * const target = createLiteLLMClient(
 *   { baseUrl: 'https://litellm.internal', masterKey },
 *   { fetch, logger },
 * );
 * for await (const team of target.listTeams()) { … }
 *
 * @throws ConfigError when the base URL, key, concurrency or timeout is unusable
 */
export function createLiteLLMClient(config: LiteLLMClientConfig, deps: LiteLLMClientDeps): Target {
  const requester = createRequester(config, deps);
  return {
    ...createTeamOps(requester),
    ...createUserOps(requester),
    ...createKeyOps(requester),
  };
}
