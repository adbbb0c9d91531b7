/**
 * Configuration of the `entra` source: which app registration reads which tenant, through which
 * cloud, and which groups become teams. Filled from `ENTRA_*` / `GRAPH_BASE_URL` by the loader.
 */
import { z } from 'zod';

import { compileScope, isInScope, isScopeConfigEmpty, scopeConfigSchema } from '../scope.js';
import type { UserIdAttribute } from '../types.js';

/** `x-ms-throttle-priority` values Graph accepts. */
export const throttlePriorities = ['low', 'normal', 'high'] as const;

/** How urgent a Graph request is; Graph throttles `low` first when a tenant runs hot. */
export type ThrottlePriority = (typeof throttlePriorities)[number];

const required = (what: string) =>
  z
    .string({ error: `expected ${what}` })
    .trim()
    .min(1, `expected ${what}`);

/** An https origin without a path (MSAL refuses http authorities; graph-client only signs https). */
const httpsOrigin = (example: string) =>
  z
    .string()
    .trim()
    .refine(isHttpsOrigin, `expected an https origin such as ${example}, with no path`)
    .transform(value => value.replace(/\/+$/, ''));

function isHttpsOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (
      url.protocol === 'https:' && url.pathname === '/' && url.search === '' && url.hash === ''
    );
  } catch {
    return false;
  }
}

/** The public cloud; national clouds and simulators set `authorityHost` / `graphBaseUrl`. */
export const defaultAuthorityHost = 'https://login.microsoftonline.com';
export const defaultGraphBaseUrl = 'https://graph.microsoft.com';

/** Configuration of one `entra` source. Exactly one credential: a secret or a certificate. */
export const entraSourceConfigSchema = z
  .object({
    /** Directory (tenant) id or a verified domain of the tenant. */
    tenantId: required('the directory (tenant) id'),
    /** Application (client) id of the app registration. */
    clientId: required('the application (client) id'),
    /** Client secret value (not its id). */
    clientSecret: z.string().min(1).optional(),
    /** PEM file holding the certificate and its private key. */
    certificatePath: z.string().trim().min(1).optional(),
    authorityHost: httpsOrigin(defaultAuthorityHost).default(defaultAuthorityHost),
    graphBaseUrl: httpsOrigin(defaultGraphBaseUrl).default(defaultGraphBaseUrl),
    /** Object id of the enterprise application: its assigned groups are in scope. */
    appServicePrincipalId: z.string().trim().min(1).optional(),
    scope: scopeConfigSchema,
    /** Priority sent with the bulk reads of scheduled runs. @defaultValue 'low' */
    throttlePriority: z.enum(throttlePriorities).default('low'),
  })
  .superRefine((config, context) => {
    if ((config.clientSecret === undefined) === (config.certificatePath === undefined)) {
      context.addIssue({
        code: 'custom',
        path: ['clientSecret'],
        message: 'set exactly one credential: a client secret or a certificate path',
      });
    }
    if (isScopeConfigEmpty(config.scope) && config.appServicePrincipalId === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['scope'],
        message:
          'no group selected: set ids, namePrefix, nameRegex or appServicePrincipalId, or set all to true',
      });
    }
  });

/** The validated configuration of one `entra` source. */
export type EntraSourceConfig = z.infer<typeof entraSourceConfigSchema>;

/**
 * The scope as a predicate: a group is in scope when the configured selectors pick it, or when it
 * is assigned to the enterprise application (`appGroupIds`, read from Graph).
 */
export function groupSelector(
  config: EntraSourceConfig,
  appGroupIds: ReadonlySet<string>,
): (group: { externalId: string; name: string }) => boolean {
  const scope = compileScope(config.scope);
  return group => isInScope(scope, group) || appGroupIds.has(group.externalId);
}

/**
 * The IdP attribute that becomes LiteLLM's `user_id` unless configured otherwise. Here, beside
 * the schema, so the source registry knows it without loading the connector (../lazy.ts).
 */
export const entraDefaultUserIdAttribute: UserIdAttribute = 'externalId';
