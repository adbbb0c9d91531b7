import type { JobSettings } from '../jobs/settings.js';
import { ConfigError } from '../src/errors.js';
import type { MappingRules } from '../src/reconcile/mapping.js';
import type { DeprovisionThreshold } from '../src/reconcile/threshold.js';
import { envSchema } from './env.js';
import { readConfigFile } from './file.js';
import { sourcesFromEnv, type SourceSetup } from './sources.js';

/** The validated, frozen configuration every command runs on. */
export type Config = {
  readonly litellm: {
    readonly baseUrl: string;
    readonly masterKey: string;
    readonly concurrency: number;
    readonly timeoutMs: number;
  };
  readonly sources: readonly SourceSetup[];
  readonly dbPath: string;
  readonly redisUrl: string;
  /** The job layer: queue prefix, debounce, schedules, retries, shutdown. */
  readonly jobs: JobSettings;
  readonly logLevel: string;
  readonly applyConcurrency: number;
  readonly threshold: DeprovisionThreshold;
  /** Mapping rules shared by every source; `userIdAttribute` is per source (see `sources`). */
  readonly rules: Omit<MappingRules, 'userIdAttribute'>;
};

/**
 * Loads the configuration from the environment (and the optional YAML file) once, at start-up.
 * @throws ConfigError listing every problem, each naming its variable or file path
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const issues: string[] = [];
  const parsed = envSchema.safeParse(blankToUndefined(env));
  if (!parsed.success) {
    issues.push(...parsed.error.issues.map(issue => `${issue.path.map(String).join('.')}: ${describe(issue.message, env[String(issue.path[0])])}`));
  }
  const file = readConfigFile(blank(env['IDP_SYNC_CONFIG']), issues);
  // Sources are checked even when a shared variable is wrong, so one run lists every problem.
  const sourceNames = envSchema.shape.IDP_SOURCES.safeParse(blank(env['IDP_SOURCES']));
  const sources = sourceNames.success ? sourcesFromEnv(sourceNames.data, env, issues) : [];
  if (!parsed.success || issues.length > 0) {
    throw new ConfigError(issues);
  }
  const e = parsed.data;
  return Object.freeze({
    litellm: { baseUrl: e.LITELLM_BASE_URL, masterKey: e.LITELLM_MASTER_KEY, concurrency: e.LITELLM_CONCURRENCY, timeoutMs: e.LITELLM_TIMEOUT_MS },
    sources,
    dbPath: e.IDP_SYNC_DB,
    redisUrl: e.REDIS_URL,
    jobs: {
      redisUrl: e.REDIS_URL,
      prefix: e.IDP_SYNC_QUEUE_PREFIX,
      loginDebounceMs: e.LOGIN_SYNC_DEBOUNCE_MS,
      syncCron: e.SYNC_CRON,
      fullSyncCron: e.FULL_SYNC_CRON,
      shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
      attempts: e.JOB_ATTEMPTS,
      backoffMs: e.JOB_BACKOFF_MS,
      concurrency: e.WORKER_CONCURRENCY,
      keepCompleted: e.JOB_KEEP_COMPLETED,
      keepFailed: e.JOB_KEEP_FAILED,
    },
    logLevel: e.LOG_LEVEL,
    applyConcurrency: e.APPLY_CONCURRENCY,
    threshold: { maxCount: e.DEPROVISION_MAX, maxPercent: e.DEPROVISION_MAX_PERCENT },
    rules: {
      defaultUserRole: e.DEFAULT_USER_ROLE,
      userRoleRules: file.userRoles,
      teamTemplates: file.teamTemplates.map(t => ({ match: new RegExp(t.match), settings: t.settings })),
    },
  });
}

/** "Required" reads better as what to set; secrets are never echoed back. */
function describe(message: string, value: string | undefined): string {
  if (value === undefined || value.trim() === '') {
    return `not set (${message})`;
  }
  return message;
}

function blank(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

/** Treats `VAR=` like an unset variable, so defaults apply. */
function blankToUndefined(env: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, blank(v)]));
}
