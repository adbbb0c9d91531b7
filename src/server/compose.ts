/**
 * Puts the server's dependencies together from configuration and the app's long-lived pieces:
 * the login queue (fail-fast Redis), the replay cache, the provider, the token verifier, the
 * metrics (with the queue event listener) and the readiness checks. Used by `idp-sync serve`
 * and by the tests, so both run the same wiring.
 */
import type { JobSettings } from '../../jobs/settings.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/types.js';
import type { Target } from '../target/types.js';
import type { ServerDeps } from './deps.js';
import { createReplayCache } from './hmac.js';
import { createIssuer } from './issuer.js';
import { createLoginQueue } from './login-queue.js';
import { countingFetch, createMetrics, watchJobs } from './metrics.js';
import type { ServerSettings } from './settings.js';
import { createTokenVerifier } from './verify-token.js';

export type ComposeInput = {
  readonly settings: ServerSettings;
  readonly jobs: JobSettings;
  readonly sources: readonly string[];
  readonly logger: Logger;
  readonly store: Store;
  readonly target: Target;
  /** Requests to the OpenID Provider go through it. @defaultValue global fetch */
  readonly fetch?: typeof fetch | undefined;
  readonly now?: (() => number) | undefined;
};

/** Builds {@link ServerDeps}; `close` ends every connection it opened. */
export function composeServerDeps(input: ComposeInput): {
  deps: ServerDeps;
  close(): Promise<void>;
} {
  const now = input.now ?? Date.now;
  const log = input.logger.child({ component: 'serve' });
  const loginQueue = createLoginQueue(input.jobs, {
    logger: log,
    onRetried: (request, enqueued) => {
      metrics.enqueued.inc({ outcome: 'retried' });
      log.info(
        { source: request.source, jobId: enqueued.jobId },
        'login sync queued after Redis came back',
      );
    },
  });
  const metrics = createMetrics({
    queue: loginQueue.queue,
    store: input.store,
    sources: input.sources,
    now,
  });
  const events = watchJobs(metrics, loginQueue.queue, input.jobs, log);
  const idpFetch = countingFetch(input.fetch ?? fetch, metrics.idpCalls);
  const issuer =
    input.settings.oidc === undefined
      ? undefined
      : createIssuer(input.settings.oidc, { fetch: idpFetch });
  const deps: ServerDeps = {
    settings: input.settings,
    sources: input.sources,
    logger: log,
    loginQueue,
    replay: createReplayCache(() => loginQueue.redis(), input.jobs.prefix),
    issuer,
    verifyToken:
      issuer === undefined ? undefined : createTokenVerifier(issuer, { fetch: idpFetch, now }),
    metrics,
    readiness: {
      redis: async () => (await loginQueue.redis()).ping(),
      store: () => Promise.resolve(input.store.recentRuns(1)),
      litellm: async signal => {
        try {
          // Any authenticated read proves LiteLLM answers and takes the master key.
          await input.target.getTeam('idp-sync-readiness-probe', signal);
          metrics.litellmCalls.inc({ outcome: 'ok' });
        } catch (error) {
          metrics.litellmCalls.inc({ outcome: 'error' });
          throw error;
        }
      },
    },
    loginDebounceMs: input.jobs.loginDebounceMs,
    now,
  };
  return {
    deps,
    close: async () => {
      await events.close();
      await loginQueue.close();
    },
  };
}
