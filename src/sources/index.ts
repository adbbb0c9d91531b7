import type { SourceName } from '../model.js';
import { auth0SourceConfigSchema } from './auth0/config.js';
import { entraSourceConfigSchema } from './entra/config.js';
import { fileSource } from './file/index.js';
import { googleSourceConfigSchema } from './google/config.js';
import { keycloakSource } from './keycloak/index.js';
import { lazySourceFactory } from './lazy.js';
import { oktaSourceConfigSchema } from './okta/config.js';
import { oneloginSource } from './onelogin/index.js';
import type { SourceFactory } from './types.js';

/**
 * Every source this build can run, by name; a name missing here is refused by the config loader
 * with the list of what is available. The four connectors built on a vendor SDK are loaded on
 * first use (lazy.ts); their default user-id attribute is stated here, beside their config
 * schema, and must match the factory in their index.ts (test/unit/sources/index.test.ts).
 */
export const sourceFactories: Partial<Record<SourceName, SourceFactory<never>>> = {
  auth0: lazySourceFactory({
    name: 'auth0',
    configSchema: auth0SourceConfigSchema,
    defaultUserIdAttribute: 'externalId',
    load: async () => (await import('./auth0/index.js')).auth0Source,
  }) as SourceFactory<never>,
  entra: lazySourceFactory({
    name: 'entra',
    configSchema: entraSourceConfigSchema,
    defaultUserIdAttribute: 'externalId',
    load: async () => (await import('./entra/index.js')).entraSource,
  }) as SourceFactory<never>,
  file: fileSource as SourceFactory<never>,
  google: lazySourceFactory({
    name: 'google',
    configSchema: googleSourceConfigSchema,
    defaultUserIdAttribute: 'externalId',
    load: async () => (await import('./google/index.js')).googleSource,
  }) as SourceFactory<never>,
  keycloak: keycloakSource as SourceFactory<never>,
  okta: lazySourceFactory({
    name: 'okta',
    configSchema: oktaSourceConfigSchema,
    defaultUserIdAttribute: 'login',
    load: async () => (await import('./okta/index.js')).oktaSource,
  }) as SourceFactory<never>,
  onelogin: oneloginSource as SourceFactory<never>,
};
