import type { SourceName } from '../model.js';
import { entraSource } from './entra/index.js';
import { fileSource } from './file/index.js';
import { oktaSource } from './okta/index.js';
import type { SourceFactory } from './types.js';

/**
 * Every source this build can run, by name. The IdP connectors land one issue at a time; a name
 * missing here is refused by the config loader with the list of what is available.
 */
export const sourceFactories: Partial<Record<SourceName, SourceFactory<never>>> = {
  entra: entraSource as SourceFactory<never>,
  file: fileSource as SourceFactory<never>,
  okta: oktaSource as SourceFactory<never>,
};
