import { randomUUID } from 'node:crypto';

import type { Config } from '../../config/load.js';
import { createLogger, type Logger } from '../log.js';
import type { ReconcileDeps } from '../reconcile/run-types.js';
import type { SafetyThresholds } from '../reconcile/threshold.js';
import { sourceFactories } from '../sources/index.js';
import { createSqliteStore } from '../store/sqlite.js';
import type { Store } from '../store/types.js';
import { createLiteLLMClient, type LiteLLMClientConfig } from '../target/litellm/client.js';
import type { Target } from '../target/types.js';

/** The global limits, for a source the per-source table does not list. */
function thresholdsOf(config: Config): SafetyThresholds {
  return {
    deprovisions: config.threshold,
    removals: { maxCount: 0, maxPercent: 0 },
    keyDeletions: { maxCount: 0 },
  };
}

/** The long-lived pieces a command runs on, built once from the configuration. */
export type AppContext = {
  readonly config: Config;
  readonly logger: Logger;
  readonly store: Store;
  readonly target: Target;
  /** Reconcile dependencies for one configured source. */
  depsFor(sourceName: string, onProgress?: (done: number, total: number) => void): ReconcileDeps;
  close(): void;
};

/** The composition root of the CLI: config → logger, store, LiteLLM client, sources. */
export function createAppContext(
  config: Config,
  options: { logger?: Logger; fetch?: typeof fetch; litellm?: Partial<LiteLLMClientConfig> } = {},
): AppContext {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const doFetch = options.fetch ?? fetch;
  const store = createSqliteStore(config.dbPath);
  const target = createLiteLLMClient(
    {
      baseUrl: config.litellm.baseUrl,
      masterKey: config.litellm.masterKey,
      concurrency: config.litellm.concurrency,
      timeoutMs: config.litellm.timeoutMs,
      ...options.litellm,
    },
    { fetch: doFetch, logger: logger.child({ component: 'litellm' }) },
  );
  return {
    config,
    logger,
    store,
    target,
    depsFor(sourceName, onProgress) {
      const setup = config.sources.find(s => s.name === sourceName);
      const factory = setup === undefined ? undefined : sourceFactories[setup.name];
      if (setup === undefined || factory === undefined) {
        throw new Error(`source ${sourceName} is not configured (IDP_SOURCES)`);
      }
      return {
        source: factory.create(setup.config as never, {
          fetch: doFetch,
          logger: logger.child({ source: setup.name }),
          state: store.sourceState(setup.name),
          now: () => new Date(),
        }),
        target,
        store,
        logger,
        rules: { ...config.rules, userIdAttribute: setup.userIdAttribute },
        threshold: config.threshold,
        safety: {
          thresholds: config.safety.thresholds[setup.name] ?? thresholdsOf(config),
          lifecycle: config.safety.lifecycle,
          auditRetentionMs: config.safety.auditRetentionMs,
        },
        concurrency: config.applyConcurrency,
        newRunId: randomUUID,
        now: () => new Date(),
        onProgress,
      };
    },
    close: () => store.close(),
  };
}
