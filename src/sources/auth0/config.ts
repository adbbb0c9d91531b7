/**
 * Configuration of the `auth0` source. Every field also accepts the environment's string form,
 * so `config/sources.ts` can hand the `AUTH0_*` variables over as read and each zod issue names
 * its own field (and through it, its variable).
 */
import { z } from 'zod';

import { isScopeConfigEmpty, scopeConfigSchema } from '../scope.js';
import { blankToUndefined, isHttpUrl } from '../config-values.js';
import type { UserIdAttribute } from '../types.js';

/** Where teams come from: Auth0 has no directory groups, only roles and organizations. */
export const auth0GroupKinds = ['roles', 'organizations', 'both'] as const;

/** Which Auth0 objects become teams. */
export type Auth0GroupsFrom = (typeof auth0GroupKinds)[number];

const requiredText = (what: string) =>
  z.preprocess(blankToUndefined, z.string(`not set (${what})`).trim().min(1));

/** Configuration of one `auth0` source. */
export const auth0SourceConfigSchema = z
  .object({
    /** The tenant domain, e.g. `example.eu.auth0.com` (or a custom domain). No scheme. */
    domain: z.preprocess(
      value =>
        typeof value === 'string'
          ? value
              .trim()
              .replace(/^https?:\/\//, '')
              .replace(/\/+$/, '')
          : value,
      z
        .string('not set (the Auth0 tenant domain, e.g. example.eu.auth0.com)')
        .min(1, 'not set (the Auth0 tenant domain, e.g. example.eu.auth0.com)')
        .refine(value => !/[/\s]/.test(value), 'expected a host name such as example.eu.auth0.com'),
    ),
    /** Machine-to-machine application authorised for the Management API. */
    clientId: requiredText('the client id of a machine-to-machine application'),
    /** That application's client secret (secret). */
    clientSecret: requiredText('the client secret of that application'),
    /**
     * Sends every request to this origin instead of `https://<domain>` (a simulator or a
     * proxy); the SDK itself always builds `https://<domain>/…`.
     */
    baseUrl: z.preprocess(
      blankToUndefined,
      z
        .string()
        .trim()
        .refine(isHttpUrl, 'expected an http(s) URL such as http://127.0.0.1:4300')
        .transform(value => value.replace(/\/+$/, ''))
        .optional(),
    ),
    /** Which Auth0 objects become teams. @defaultValue roles */
    groupsFrom: z.preprocess(
      value => (typeof value === 'string' ? value.trim().toLowerCase() || undefined : value),
      z.enum(auth0GroupKinds, 'expected roles, organizations or both').default('roles'),
    ),
    scope: scopeConfigSchema,
    /** Member lists read in parallel. @defaultValue 4 */
    concurrency: z.coerce.number().int().min(1).max(16).default(4),
    /** Timeout of one HTTP exchange. @defaultValue 30000 */
    requestTimeoutMs: z.coerce.number().int().min(1).default(30_000),
    /** How often a users-export job is polled. @defaultValue 2000 */
    exportPollMs: z.coerce.number().int().min(0).default(2_000),
    /** How long a users-export job may take before the read fails. @defaultValue 900000 */
    exportTimeoutMs: z.coerce.number().int().min(1).default(900_000),
  })
  .superRefine((config, context) => {
    if (isScopeConfigEmpty(config.scope)) {
      context.addIssue({
        code: 'custom',
        path: ['scope'],
        message:
          'no role or organization selected: set ids, namePrefix or nameRegex, or set all to true',
      });
    }
  });

/** The validated configuration of one `auth0` source. */
export type Auth0SourceConfig = z.infer<typeof auth0SourceConfigSchema>;

/** What a caller may pass before defaults (tests, config files). */
export type Auth0SourceConfigInput = z.input<typeof auth0SourceConfigSchema>;

/**
 * The IdP attribute that becomes LiteLLM's `user_id` unless configured otherwise. Here, beside
 * the schema, so the source registry knows it without loading the connector (../lazy.ts).
 */
export const auth0DefaultUserIdAttribute: UserIdAttribute = 'externalId';
