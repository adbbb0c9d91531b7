/**
 * Configuration of the `keycloak` source (Keycloak Admin REST API through
 * `@keycloak/keycloak-admin-client`, confidential client with the client-credentials grant).
 * Every field also accepts the environment's string form.
 *
 * @see /work/shared/reference/idp-apis.md §F
 */
import { z } from 'zod';

import { isScopeConfigEmpty, scopeConfigSchema } from '../scope.js';
import { blankToUndefined, isHttpUrl } from '../config-values.js';

/** Configuration of one `keycloak` source. */
export const keycloakSourceConfigSchema = z
  .object({
    /** The server's base URL, without `/realms/...` (`https://sso.example.com`; `/auth` for Keycloak < 17). */
    url: z
      .string()
      .trim()
      .refine(isHttpUrl, 'expected the Keycloak server URL, e.g. https://sso.example.com')
      .transform(value => value.replace(/\/+$/, '')),
    /** The realm whose users and groups are read (the client lives in it too). */
    realm: z.string().trim().min(1, 'not set: the realm name'),
    /** A confidential client with service accounts enabled and the realm-management view-users role. */
    clientId: z.preprocess(blankToUndefined, z.string('not set').trim().min(1)),
    /** The client's secret (secret). */
    clientSecret: z.preprocess(blankToUndefined, z.string('not set').min(1)),
    scope: scopeConfigSchema,
    /** Page size of every list (`max`). @defaultValue 100 */
    pageSize: z.coerce.number().int().min(1).max(1000).default(100),
    /** Lists read in parallel. @defaultValue 4 */
    concurrency: z.coerce.number().int().min(1).max(32).default(4),
    /** Timeout of one HTTP exchange. @defaultValue 30000 */
    requestTimeoutMs: z.coerce.number().int().min(1).default(30_000),
  })
  .superRefine((config, context) => {
    if (isScopeConfigEmpty(config.scope)) {
      context.addIssue({
        code: 'custom',
        path: ['scope'],
        message: 'no group selected: set ids, namePrefix or nameRegex, or set all to true',
      });
    }
  });

/** The validated configuration of one `keycloak` source. */
export type KeycloakSourceConfig = z.infer<typeof keycloakSourceConfigSchema>;

/** What a caller may pass before defaults. */
export type KeycloakSourceConfigInput = z.input<typeof keycloakSourceConfigSchema>;
