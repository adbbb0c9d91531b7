import type { SourceName } from '../model.js';
import { auth0Source } from './auth0/index.js';
import { entraSource } from './entra/index.js';
import { fileSource } from './file/index.js';
import { googleSource } from './google/index.js';
import { keycloakSource } from './keycloak/index.js';
import { oktaSource } from './okta/index.js';
import { oneloginSource } from './onelogin/index.js';
import type { SourceFactory } from './types.js';

/**
 * Every source this build can run, by name. The IdP connectors land one issue at a time; a name
 * missing here is refused by the config loader with the list of what is available.
 */
export const sourceFactories: Partial<Record<SourceName, SourceFactory<never>>> = {
  auth0: auth0Source as SourceFactory<never>,
  entra: entraSource as SourceFactory<never>,
  file: fileSource as SourceFactory<never>,
  google: googleSource as SourceFactory<never>,
  keycloak: keycloakSource as SourceFactory<never>,
  okta: oktaSource as SourceFactory<never>,
  onelogin: oneloginSource as SourceFactory<never>,
};
