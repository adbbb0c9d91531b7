import type { SourceName } from '../model.js';
import { auth0DefaultUserIdAttribute, auth0SourceConfigSchema } from './auth0/config.js';
import { entraDefaultUserIdAttribute, entraSourceConfigSchema } from './entra/config.js';
import { fileSource } from './file/index.js';
import { googleDefaultUserIdAttribute, googleSourceConfigSchema } from './google/config.js';
import { keycloakSource } from './keycloak/index.js';
import { lazySourceFactory } from './lazy.js';
import { oktaDefaultUserIdAttribute, oktaSourceConfigSchema } from './okta/config.js';
import { oneloginSource } from './onelogin/index.js';
import type { SourceFactory } from './types.js';

/**
 * Every source this build can run, by name; a name missing here is refused by the config loader
 * with the list of what is available. The four connectors built on a vendor SDK are loaded on
 * first use (lazy.ts), from what their config modules state without the SDK.
 */
export const sourceFactories: Partial<Record<SourceName, SourceFactory<never>>> = {
  auth0: lazySourceFactory({
    name: 'auth0',
    configSchema: auth0SourceConfigSchema,
    defaultUserIdAttribute: auth0DefaultUserIdAttribute,
    load: async () => (await import('./auth0/index.js')).auth0Source,
  }) as SourceFactory<never>,
  entra: lazySourceFactory({
    name: 'entra',
    configSchema: entraSourceConfigSchema,
    defaultUserIdAttribute: entraDefaultUserIdAttribute,
    load: async () => (await import('./entra/index.js')).entraSource,
  }) as SourceFactory<never>,
  file: fileSource as SourceFactory<never>,
  google: lazySourceFactory({
    name: 'google',
    configSchema: googleSourceConfigSchema,
    defaultUserIdAttribute: googleDefaultUserIdAttribute,
    load: async () => (await import('./google/index.js')).googleSource,
  }) as SourceFactory<never>,
  keycloak: keycloakSource as SourceFactory<never>,
  okta: lazySourceFactory({
    name: 'okta',
    configSchema: oktaSourceConfigSchema,
    defaultUserIdAttribute: oktaDefaultUserIdAttribute,
    load: async () => (await import('./okta/index.js')).oktaSource,
  }) as SourceFactory<never>,
  onelogin: oneloginSource as SourceFactory<never>,
};
