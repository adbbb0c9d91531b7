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

const httpUrl = z
  .string()
  .trim()
  .refine(isHttpUrl, 'expected an http(s) URL such as http://localhost:4000')
  .transform(value => value.replace(/\/+$/, ''));

function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

export const userRoles = ['internal_user', 'internal_user_viewer', 'proxy_admin', 'proxy_admin_viewer'] as const;

/** The shared variables; source variables are read by `sources.ts`. */
export const envSchema = z.object({
  LITELLM_BASE_URL: httpUrl,
  LITELLM_MASTER_KEY: z.string().trim().min(1, 'expected the LiteLLM master key (sk-…)'),
  LITELLM_CONCURRENCY: positiveInt(8),
  LITELLM_TIMEOUT_MS: positiveInt(30_000),
  IDP_SOURCES: z
    .string()
    .trim()
    .min(1, 'expected a comma-separated list of sources, e.g. entra or file')
    .transform(value => [...new Set(value.split(',').map(s => s.trim().toLowerCase()).filter(s => s.length > 0))]),
  IDP_SYNC_DB: z.string().trim().min(1).default('./data/idp-sync.db'),
  IDP_SYNC_CONFIG: z.string().trim().min(1).optional(),
  REDIS_URL: z.string().trim().min(1).default('redis://127.0.0.1:6379'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  APPLY_CONCURRENCY: positiveInt(8),
  DEPROVISION_MAX: nonNegativeNumber(25),
  DEPROVISION_MAX_PERCENT: nonNegativeNumber(20),
  DEFAULT_USER_ROLE: z.enum(userRoles).default('internal_user'),
});

export type Env = z.infer<typeof envSchema>;

export { bool };
