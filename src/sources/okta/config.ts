/**
 * Configuration of the `okta` source. Every field also accepts the environment's string form
 * (comma lists, numbers as text), so `config/sources.ts` can hand over the variables as read and
 * each zod issue names its own field (and through it, its `OKTA_*` variable).
 */
import { createPrivateKey, type JsonWebKey } from 'node:crypto';

import { z } from 'zod';

import { isScopeConfigEmpty, scopeConfigSchema } from '../scope.js';
import { blankToUndefined, isHttpUrl } from '../config-values.js';
import type { UserIdAttribute } from '../types.js';

/** Okta's user statuses (management spec `UserStatus`). */
export const oktaUserStatuses = [
  'STAGED',
  'PROVISIONED',
  'ACTIVE',
  'RECOVERY',
  'PASSWORD_EXPIRED',
  'LOCKED_OUT',
  'SUSPENDED',
  'DEPROVISIONED',
] as const;

/** Okta's group types; `BUILT_IN` is the `Everyone` group. */
export const oktaGroupTypes = ['OKTA_GROUP', 'APP_GROUP', 'BUILT_IN'] as const;

/**
 * Statuses whose holders may use LiteLLM. `LOCKED_OUT`, `PASSWORD_EXPIRED` and `RECOVERY` are
 * people with an account in good standing who cannot sign in right now; deprovisioning them would
 * delete their keys over a forgotten password.
 */
export const defaultActiveStatuses = [
  'ACTIVE',
  'PROVISIONED',
  'PASSWORD_EXPIRED',
  'LOCKED_OUT',
  'RECOVERY',
] as const;

/** A comma-separated string or an array, as a trimmed, de-duplicated list. */
function list<T extends z.ZodType<string>>(item: T) {
  return z.preprocess(
    value =>
      typeof value === 'string'
        ? value
            .split(',')
            .map(part => part.trim().toUpperCase())
            .filter(part => part !== '')
        : value,
    z
      .array(item)
      .min(1, 'expected at least one value')
      .transform(values => [...new Set(values)]),
  );
}

const optionalText = z.preprocess(blankToUndefined, z.string().trim().min(1).optional());

/** Configuration of one `okta` source. */
export const oktaSourceConfigSchema = z
  .object({
    /** `https://<org>.okta.com` (or a simulator's `http://127.0.0.1:PORT`). */
    orgUrl: z
      .string()
      .trim()
      .refine(isHttpUrl, 'expected the Okta org URL, e.g. https://example.okta.com')
      .transform(value => value.replace(/\/+$/, '')),
    /** SSWS API token (secret). Either this or `clientId` + `privateKey`. */
    apiToken: optionalText,
    /** OAuth service app client id (private_key_jwt). */
    clientId: optionalText,
    /** The service app's private key, PEM or JWK JSON (secret); RSA only. */
    privateKey: optionalText
      .transform(key => (key === undefined ? undefined : normalizeKey(key)))
      .superRefine(checkRsaKey),
    /** The key's `kid` as registered in Okta (needed when the app has several keys). */
    keyId: optionalText,
    scope: scopeConfigSchema,
    /** Also select every group assigned to this Okta app (a scope selector, like the others). */
    appId: optionalText,
    /** Which group types may become teams. @defaultValue OKTA_GROUP, APP_GROUP */
    groupTypes: z.preprocess(
      blankToUndefined,
      list(z.enum(oktaGroupTypes)).default(['OKTA_GROUP', 'APP_GROUP']),
    ),
    /** Which user statuses count as active. @defaultValue {@link defaultActiveStatuses} */
    activeStatuses: z.preprocess(
      blankToUndefined,
      list(z.enum(oktaUserStatuses)).default([...defaultActiveStatuses]),
    ),
    /** Share of each rate-limit bucket this worker may use per window. @defaultValue 0.5 */
    rateLimitShare: z.preprocess(
      blankToUndefined,
      z.coerce
        .number('expected a number between 0 and 1, e.g. 0.5')
        .gt(0, 'expected a share above 0')
        .max(1, 'expected a share of at most 1')
        .default(0.5),
    ),
    /** An incremental run older than this since the last full read does a full read. */
    fullResyncHours: z.preprocess(
      blankToUndefined,
      z.coerce.number('expected a number of hours').gt(0).default(24),
    ),
    /** Member lists read in parallel. @defaultValue 4 */
    concurrency: z.coerce.number().int().min(1).max(32).default(4),
    /** Timeout of one HTTP exchange. @defaultValue 30000 */
    requestTimeoutMs: z.coerce.number().int().min(1).default(30_000),
  })
  .superRefine((config, context) => {
    const keyAuth = config.clientId !== undefined || config.privateKey !== undefined;
    if (config.apiToken !== undefined && keyAuth) {
      context.addIssue({
        code: 'custom',
        path: ['apiToken'],
        message: 'set either an API token or OAuth (client id + private key), not both',
      });
    } else if (config.apiToken === undefined && !keyAuth) {
      context.addIssue({
        code: 'custom',
        path: ['apiToken'],
        message: 'not set: set an API token, or a client id and private key (OAuth service app)',
      });
    } else if (keyAuth && config.clientId === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['clientId'],
        message: 'not set (needed with a private key)',
      });
    } else if (keyAuth && config.privateKey === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['privateKey'],
        message: 'not set (needed with a client id)',
      });
    }
    if (isScopeConfigEmpty(config.scope) && config.appId === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['scope'],
        message: 'no group selected: set ids, namePrefix, nameRegex or appId, or set all to true',
      });
    }
  });

/** The validated configuration of one `okta` source. */
export type OktaSourceConfig = z.infer<typeof oktaSourceConfigSchema>;

/** What a caller may pass before defaults (tests, config files). */
export type OktaSourceConfigInput = z.input<typeof oktaSourceConfigSchema>;

/** A PEM pasted into a one-line variable usually arrives with literal `\\n`s. */
export function normalizeKey(key: string): string {
  return key.includes('-----BEGIN') && !key.includes('\n') ? key.replace(/\\n/g, '\n') : key;
}

/**
 * Refuses what the SDK cannot sign with. Verified against SDK 8.1.0: with an EC key (ES256) the
 * token request fails with "unsupported algorithm", because the SDK always signs its DPoP proof
 * with RS256, whatever the key.
 */
function checkRsaKey(key: string | undefined, context: z.RefinementCtx): void {
  if (key === undefined) {
    return;
  }
  let type: string | undefined;
  try {
    const jwk: unknown = key.trimStart().startsWith('{') ? JSON.parse(key) : undefined;
    type = (
      jwk === undefined
        ? createPrivateKey(key)
        : createPrivateKey({ key: jwk as JsonWebKey, format: 'jwk' })
    ).asymmetricKeyType;
  } catch {
    context.addIssue({ code: 'custom', message: 'expected a private key as PEM or as JWK JSON' });
    return;
  }
  if (type !== 'rsa') {
    context.addIssue({
      code: 'custom',
      message: `expected an RSA private key (got ${type ?? 'an unknown key type'}): @okta/okta-sdk-nodejs 8 signs with RS256 only`,
    });
  }
}

/** The OAuth scopes the source asks for: read-only, plus apps when an app selects groups. */
export function requiredScopes(config: OktaSourceConfig): string[] {
  const scopes = ['okta.users.read', 'okta.groups.read'];
  return config.appId === undefined ? scopes : [...scopes, 'okta.apps.read'];
}

/**
 * The IdP attribute that becomes LiteLLM's `user_id` unless configured otherwise. Here, beside
 * the schema, so the source registry knows it without loading the connector (../lazy.ts).
 * LiteLLM's own Okta SSO keys users on profile.login, so both paths meet on one record.
 */
export const oktaDefaultUserIdAttribute: UserIdAttribute = 'login';
