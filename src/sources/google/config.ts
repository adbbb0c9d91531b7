/**
 * Configuration of the `google` source (Google Workspace Admin SDK Directory API, service account
 * with domain-wide delegation). Every field also accepts the environment's string form, so
 * `config/sources.ts` can hand over the `GOOGLE_*` variables as read.
 *
 * @see /work/shared/reference/idp-apis.md §E
 */
import { readFileSync } from 'node:fs';

import { z } from 'zod';

import { isScopeConfigEmpty, scopeConfigSchema } from '../scope.js';
import { blankToUndefined, isHttpUrl } from '../config-values.js';
import type { UserIdAttribute } from '../types.js';

/** Read-only scopes: users and groups (members are covered by the group scope). */
export const googleScopes = [
  'https://www.googleapis.com/auth/admin.directory.user.readonly',
  'https://www.googleapis.com/auth/admin.directory.group.readonly',
] as const;

/** Google's token endpoint (a constant in `gtoken`; override with `tokenUrl`). */
export const googleTokenUrl = 'https://oauth2.googleapis.com/token';

/** The fields of a service-account key file this source needs. */
export const serviceAccountKeySchema = z.object({
  client_email: z
    .string('expected client_email in the service-account key')
    .min(1, 'expected client_email in the service-account key'),
  private_key: z
    .string('expected private_key in the service-account key')
    .min(1, 'expected private_key in the service-account key'),
  private_key_id: z.string().optional(),
});

/** A service account's e-mail and private key. */
export type ServiceAccountKey = z.infer<typeof serviceAccountKeySchema>;

const optionalText = z.preprocess(blankToUndefined, z.string().trim().min(1).optional());

const optionalUrl = z.preprocess(
  blankToUndefined,
  z.string().trim().refine(isHttpUrl, 'expected an http(s) URL').optional(),
);

/** Configuration of one `google` source. */
export const googleSourceConfigSchema = z
  .object({
    /** Path of the service account's JSON key file. Either this or `keyJson`. */
    keyFile: optionalText,
    /** The service account's JSON key itself (secret). */
    keyJson: optionalText,
    /** The admin the service account impersonates (domain-wide delegation). */
    subject: z.preprocess(
      blankToUndefined,
      z
        .string('not set: the e-mail of a Workspace admin the service account impersonates')
        .trim()
        .email('expected the e-mail of a Workspace admin'),
    ),
    /** `my_customer` (the subject's own account) or a customer id such as `C01abc234`. */
    customerId: z.preprocess(blankToUndefined, z.string().trim().min(1).default('my_customer')),
    /** Directory API root (`https://admin.googleapis.com/`); a simulator's URL in tests. */
    apiBaseUrl: optionalUrl,
    /** OAuth token endpoint; @defaultValue {@link googleTokenUrl} */
    tokenUrl: optionalUrl,
    scope: scopeConfigSchema,
    /** Directory API queries per minute this worker allows itself. @defaultValue 2400 */
    queriesPerMinute: z.preprocess(
      blankToUndefined,
      z.coerce.number('expected a number of queries').int().min(1).default(2400),
    ),
    /** Member lists read in parallel. @defaultValue 4 */
    concurrency: z.coerce.number().int().min(1).max(32).default(4),
    /** Timeout of one HTTP exchange. @defaultValue 30000 */
    requestTimeoutMs: z.coerce.number().int().min(1).default(30_000),
  })
  .superRefine((config, context) => {
    if ((config.keyFile === undefined) === (config.keyJson === undefined)) {
      context.addIssue({
        code: 'custom',
        path: ['keyFile'],
        message:
          config.keyFile === undefined
            ? 'not set: set a service-account key file or the key JSON'
            : 'set either a key file or the key JSON, not both',
      });
    } else {
      const problem = keyProblem(config);
      if (problem !== undefined) {
        context.addIssue({
          code: 'custom',
          path: [config.keyFile === undefined ? 'keyJson' : 'keyFile'],
          message: problem,
        });
      }
    }
    if (isScopeConfigEmpty(config.scope)) {
      context.addIssue({
        code: 'custom',
        path: ['scope'],
        message: 'no group selected: set ids, namePrefix or nameRegex, or set all to true',
      });
    }
  });

/** The validated configuration of one `google` source. */
export type GoogleSourceConfig = z.infer<typeof googleSourceConfigSchema>;

/** What a caller may pass before defaults. */
export type GoogleSourceConfigInput = z.input<typeof googleSourceConfigSchema>;

/**
 * Reads the service-account key (from the file or the JSON).
 *
 * @throws Error naming what is wrong (unreadable file, not JSON, fields missing)
 */
export function loadServiceAccountKey(
  config: Pick<GoogleSourceConfig, 'keyFile' | 'keyJson'>,
): ServiceAccountKey {
  const text =
    config.keyJson ?? (config.keyFile === undefined ? '' : readFileSync(config.keyFile, 'utf8'));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error('the service-account key is not JSON (expected the key file Google issued)');
  }
  const parsed = serviceAccountKeySchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(parsed.error.issues.map(issue => issue.message).join('; '));
  }
  // A key pasted into a one-line variable usually arrives with literal `\n`s.
  const key = parsed.data.private_key;
  return {
    ...parsed.data,
    private_key: key.includes('\n') ? key : key.replace(/\\n/g, '\n'),
  };
}

function keyProblem(config: Pick<GoogleSourceConfig, 'keyFile' | 'keyJson'>): string | undefined {
  try {
    loadServiceAccountKey(config);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * The IdP attribute that becomes LiteLLM's `user_id` unless configured otherwise. Here, beside
 * the schema, so the source registry knows it without loading the connector (../lazy.ts).
 */
export const googleDefaultUserIdAttribute: UserIdAttribute = 'externalId';
