import type { JobSettings } from '../jobs/settings.js';
import { ConfigError } from '../src/errors.js';
import type { MappingRules } from '../src/reconcile/mapping.js';
import type { DeprovisionThreshold } from '../src/reconcile/threshold.js';
import type { ServerSettings } from '../src/server/settings.js';
import { envSchema, serverEnvSchema } from './env.js';
import { readConfigFile } from './file.js';
import { safetyFromEnv, type SafetySettings } from './safety.js';
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
  /** Circuit-breaker limits per source, staged deprovisioning, confirmations, group removal. */
  readonly safety: SafetySettings;
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
    issues.push(
      ...parsed.error.issues.map(
        issue =>
          `${issue.path.map(String).join('.')}: ${describe(issue.message, env[String(issue.path[0])])}`,
      ),
    );
  }
  const file = readConfigFile(blank(env['IDP_SYNC_CONFIG']), issues);
  // Sources are checked even when a shared variable is wrong, so one run lists every problem.
  const sourceNames = envSchema.shape.IDP_SOURCES.safeParse(blank(env['IDP_SOURCES']));
  const sources = sourceNames.success ? sourcesFromEnv(sourceNames.data, env, issues) : [];
  const safety = safetyFromEnv(
    env,
    sources.map(s => s.name),
    issues,
  );
  if (!parsed.success || issues.length > 0) {
    throw new ConfigError(issues);
  }
  const e = parsed.data;
  return Object.freeze({
    litellm: {
      baseUrl: e.LITELLM_BASE_URL,
      masterKey: e.LITELLM_MASTER_KEY,
      concurrency: e.LITELLM_CONCURRENCY,
      timeoutMs: e.LITELLM_TIMEOUT_MS,
    },
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
    safety,
    rules: {
      defaultUserRole: e.DEFAULT_USER_ROLE,
      userRoleRules: file.userRoles,
      teamTemplates: file.teamTemplates.map(t => ({
        match: new RegExp(t.match),
        settings: t.settings,
      })),
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
function blankToUndefined(
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, blank(v)]));
}

/**
 * Loads what `idp-sync serve` needs beyond {@link loadConfig}. The OIDC variables come as a set:
 * with `OIDC_ISSUER` set, the client, redirect URI, session secret and post-login URL must be too.
 * @throws ConfigError listing every problem, each naming its variable
 */
export function loadServerConfig(
  env: Readonly<Record<string, string | undefined>>,
  config: Config,
): ServerSettings {
  const parsed = serverEnvSchema.safeParse(blankToUndefined(env));
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map(
        issue =>
          `${issue.path.map(String).join('.')}: ${describe(issue.message, env[String(issue.path[0])])}`,
      ),
    );
  }
  const e = parsed.data;
  const sourceNames: readonly string[] = config.sources.map(s => s.name);
  const loginSource = e.LOGIN_SOURCE ?? sourceNames[0] ?? '';
  const issues: string[] = [];
  if (!sourceNames.includes(loginSource)) {
    issues.push(
      `LOGIN_SOURCE: ${loginSource} is not one of IDP_SOURCES (${sourceNames.join(', ')})`,
    );
  }
  const oidcSet = {
    OIDC_CLIENT_ID: e.OIDC_CLIENT_ID,
    OIDC_CLIENT_SECRET: e.OIDC_CLIENT_SECRET,
    OIDC_REDIRECT_URI: e.OIDC_REDIRECT_URI,
    SESSION_SECRET: e.SESSION_SECRET,
    POST_LOGIN_REDIRECT_URL: e.POST_LOGIN_REDIRECT_URL,
  };
  if (e.OIDC_ISSUER !== undefined) {
    issues.push(
      ...Object.entries(oidcSet)
        .filter(([, v]) => v === undefined)
        .map(([name]) => `${name}: not set (required with OIDC_ISSUER)`),
    );
  }
  if (
    e.OIDC_ISSUER === undefined &&
    e.LOGIN_HOOK_SECRET === undefined &&
    e.OKTA_EVENT_HOOK_SECRET === undefined
  ) {
    issues.push(
      'OIDC_ISSUER: not set (serve needs at least one of OIDC_ISSUER, LOGIN_HOOK_SECRET or OKTA_EVENT_HOOK_SECRET)',
    );
  }
  if (issues.length > 0) {
    throw new ConfigError(issues);
  }
  const {
    OIDC_CLIENT_ID: clientId,
    OIDC_CLIENT_SECRET: clientSecret,
    OIDC_REDIRECT_URI: redirectUri,
  } = oidcSet;
  const oidc =
    e.OIDC_ISSUER !== undefined &&
    clientId !== undefined &&
    clientSecret !== undefined &&
    redirectUri !== undefined
      ? {
          issuer: e.OIDC_ISSUER,
          clientId,
          clientSecret,
          redirectUri,
          subjectClaim: e.OIDC_SUBJECT_CLAIM ?? (loginSource === 'entra' ? 'oid' : 'sub'),
          scopes: e.OIDC_SCOPES,
        }
      : undefined;
  return Object.freeze({
    host: e.HOST,
    port: e.PORT,
    oidc,
    sessionSecret: e.SESSION_SECRET,
    postLoginRedirectUrl: e.POST_LOGIN_REDIRECT_URL,
    loginSource,
    loginSyncWaitMs: e.LOGIN_SYNC_WAIT_MS,
    loginHookSecret: e.LOGIN_HOOK_SECRET,
    oktaEventHookSecret: e.OKTA_EVENT_HOOK_SECRET,
    oktaEventHookSource: e.OKTA_EVENT_HOOK_SOURCE,
  });
}
