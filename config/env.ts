import { z } from 'zod';

/**
 * The environment variables the worker reads that belong to no single source, with their
 * defaults. Each is documented in `.env.example`.
 */
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
  .transform(value => value === 'true' || value === '1' || value === 'yes');

const positiveInt = (fallback: number) =>
  z
    .string()
    .regex(/^\d+$/, 'expected a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1, 'expected at least 1'))
    .default(fallback);

const nonNegativeNumber = (fallback: number) =>
  z
    .string()
    .regex(/^\d+(\.\d+)?$/, 'expected a number ≥ 0 (0 switches the limit off)')
    .transform(Number)
    .default(fallback);

const nonNegativeInt = (fallback: number) =>
  z.string().regex(/^\d+$/, 'expected a whole number ≥ 0').transform(Number).default(fallback);

/**
 * A cron pattern (5 fields, or 6 with seconds first) or `off`. This only checks the shape; the
 * worker reports a pattern BullMQ's parser still refuses under the same variable name.
 */
const cronOrOff = (fallback: string) =>
  z
    .string()
    .trim()
    // The default goes first: zod 4 would also put it in place of the `undefined` that `off` becomes.
    .default(fallback)
    .refine(
      value => value.toLowerCase() === 'off' || /^(\S+\s+){4,5}\S+$/.test(value),
      'expected a cron pattern such as "*/15 * * * *" (5 fields, or 6 with seconds first), or off',
    )
    .transform(value => (value.toLowerCase() === 'off' ? undefined : value.split(/\s+/).join(' ')));

const redisUrl = z
  .string()
  .trim()
  .refine(value => {
    try {
      return ['redis:', 'rediss:'].includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, 'expected a redis:// or rediss:// URL such as redis://127.0.0.1:6379')
  .default('redis://127.0.0.1:6379');

const httpUrl = z
  .string()
  .trim()
  // A URL longer than any browser or proxy takes is a pasting accident, not an address.
  .max(2048, 'expected a URL of at most 2048 characters')
  .refine(isHttpUrl, 'expected an http(s) URL such as http://localhost:4000')
  .transform(value => value.replace(/\/+$/, ''));

function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

export const userRoles = [
  'internal_user',
  'internal_user_viewer',
  'proxy_admin',
  'proxy_admin_viewer',
] as const;

/** The shared variables; source variables are read by `sources.ts`. */
export const envSchema = z.object({
  LITELLM_BASE_URL: httpUrl,
  LITELLM_MASTER_KEY: z.string().trim().min(1, 'expected the LiteLLM master key (sk-…)'),
  // 16: a burst of ~50 logins/s needs ~10 calls in flight on its own (BENCHMARKS.md).
  LITELLM_CONCURRENCY: positiveInt(16),
  LITELLM_TIMEOUT_MS: positiveInt(30_000),
  IDP_SOURCES: z
    .string()
    .trim()
    .min(1, 'expected a comma-separated list of sources, e.g. entra or file')
    .transform(value => [
      ...new Set(
        value
          .split(',')
          .map(s => s.trim().toLowerCase())
          .filter(s => s.length > 0),
      ),
    ])
    // " , " is no list of sources: without this it would be accepted and sync nothing.
    .refine(names => names.length > 0, 'expected at least one source name, e.g. entra or file'),
  IDP_SYNC_DB: z.string().trim().min(1).default('./data/idp-sync.db'),
  IDP_SYNC_CONFIG: z.string().trim().min(1).optional(),
  REDIS_URL: redisUrl,
  IDP_SYNC_QUEUE_PREFIX: z
    .string()
    .trim()
    .regex(
      /^[A-Za-z0-9_.{}-]+$/,
      'expected letters, digits, "_", ".", "-" (and {} for a Redis Cluster hash tag)',
    )
    .default('idp-sync'),
  LOGIN_SYNC_DEBOUNCE_MS: nonNegativeInt(2000),
  SYNC_CRON: cronOrOff('*/15 * * * *'),
  FULL_SYNC_CRON: cronOrOff('0 3 * * *'),
  SHUTDOWN_TIMEOUT_MS: positiveInt(30_000),
  JOB_ATTEMPTS: positiveInt(5),
  JOB_BACKOFF_MS: positiveInt(2000),
  // 16: login syncs at ~50/s keep p99 under 250 ms (BENCHMARKS.md); 4 capped them near 40/s.
  WORKER_CONCURRENCY: positiveInt(16),
  // Applied by src/cli/heap-growth.ts at start-up; validated here so check-config reports it.
  IDP_SYNC_HEAP_GROWTH_PERCENT: z
    .string()
    .regex(/^\d+$/, 'expected a whole number of percent (0 keeps V8 default)')
    .transform(Number)
    .pipe(z.number().max(400, 'expected at most 400 (0 keeps V8 default)'))
    .default(50),
  JOB_KEEP_COMPLETED: nonNegativeInt(1000),
  JOB_KEEP_FAILED: nonNegativeInt(5000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  APPLY_CONCURRENCY: positiveInt(8),
  DEPROVISION_MAX: nonNegativeNumber(25),
  DEPROVISION_MAX_PERCENT: nonNegativeNumber(20),
  DEFAULT_USER_ROLE: z.enum(userRoles).default('internal_user'),
});

export type Env = z.infer<typeof envSchema>;

export { bool };

/** A loopback host may use plain http (local development, tests); anything else needs https. */
const oidcUrl = z
  .string()
  .trim()
  .refine(isSecureOrLoopbackUrl, 'expected an https URL (http only for 127.0.0.1 or localhost)')
  .transform(value => value.replace(/\/+$/, ''));

function isSecureOrLoopbackUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (
      url.protocol === 'https:' ||
      (url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname))
    );
  } catch {
    return false;
  }
}

const secret = (what: string) =>
  z.string().min(32, `expected at least 32 characters (${what})`).optional();

/** The variables of `idp-sync serve` (the login hook server); read only by that command. */
export const serverEnvSchema = z.object({
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  PORT: z
    .string()
    .regex(/^\d+$/, 'expected a port number')
    .transform(Number)
    .pipe(z.number().int().min(0).max(65535, 'expected a port number ≤ 65535'))
    .default(8080),
  OIDC_ISSUER: oidcUrl.optional(),
  OIDC_CLIENT_ID: z.string().trim().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_REDIRECT_URI: oidcUrl.optional(),
  OIDC_SUBJECT_CLAIM: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.:-]+$/, 'expected a claim name such as oid or sub')
    .optional(),
  OIDC_SCOPES: z.string().trim().min(1).default('openid email profile'),
  SESSION_SECRET: secret('a random string that signs the login cookie'),
  POST_LOGIN_REDIRECT_URL: httpUrl.optional(),
  LOGIN_SOURCE: z.string().trim().toLowerCase().min(1).optional(),
  LOGIN_SYNC_WAIT_MS: nonNegativeInt(3000),
  LOGIN_HOOK_SECRET: secret('the HMAC key shared with integrations'),
  OKTA_EVENT_HOOK_SECRET: z
    .string()
    .min(16, 'expected at least 16 characters (the authorization header value configured in Okta)')
    .optional(),
  OKTA_EVENT_HOOK_SOURCE: z.string().trim().toLowerCase().min(1).default('okta'),
});

export type ServerEnv = z.infer<typeof serverEnvSchema>;
