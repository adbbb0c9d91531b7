import { z } from 'zod';

import type { SourceName } from '../src/model.js';
import { sourceNames } from '../src/model.js';
import { scopeConfigSchema, type ScopeConfig } from '../src/sources/scope.js';
import { sourceFactories } from '../src/sources/index.js';
import type { UserIdAttribute } from '../src/sources/types.js';
import { bool } from './env.js';

/** One configured source: its kind, its factory's validated config and its mapping options. */
export type SourceSetup = {
  readonly name: SourceName;
  readonly config: unknown;
  readonly userIdAttribute: UserIdAttribute;
};

/** The variable prefix of each source (`ENTRA_GROUP_IDS`, `FILE_GROUP_IDS`, …). */
const prefix = (name: SourceName): string => name.toUpperCase();

/** Variables that select "groups assigned to the application"; one counts as a scope on its own. */
const appScopeVariables: Partial<Record<SourceName, string>> = {
  entra: 'ENTRA_APP_SERVICE_PRINCIPAL_ID',
  okta: 'OKTA_APP_ID',
};

/** Reads `<SOURCE>_GROUP_IDS`, `_GROUP_NAME_PREFIX`, `_GROUP_NAME_REGEX`, `_ALL_GROUPS`. */
function scopeFromEnv(
  name: SourceName,
  env: Readonly<Record<string, string | undefined>>,
  issues: string[],
): ScopeConfig | undefined {
  const p = prefix(name);
  const all = env[`${p}_ALL_GROUPS`];
  const parsedAll =
    all === undefined
      ? { success: true as const, data: false }
      : bool.safeParse(all.trim().toLowerCase());
  if (!parsedAll.success) {
    issues.push(`${p}_ALL_GROUPS: expected true or false (got "${all}")`);
    return undefined;
  }
  const raw = {
    ids: (env[`${p}_GROUP_IDS`] ?? '')
      .split(',')
      .map(s => s.trim())
      .filter(s => s.length > 0),
    namePrefix: emptyToUndefined(env[`${p}_GROUP_NAME_PREFIX`]),
    nameRegex: emptyToUndefined(env[`${p}_GROUP_NAME_REGEX`]),
    all: parsedAll.data,
  };
  const parsed = scopeConfigSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field =
        issue.path[0] === 'nameRegex'
          ? 'GROUP_NAME_REGEX'
          : issue.path[0] === 'namePrefix'
            ? 'GROUP_NAME_PREFIX'
            : 'GROUP_IDS';
      issues.push(`${p}_${field}: ${issue.message}`);
    }
    return undefined;
  }
  const scope = parsed.data;
  const appVariable = appScopeVariables[name];
  const appScoped = appVariable !== undefined && emptyToUndefined(env[appVariable]) !== undefined;
  if (
    !appScoped &&
    !scope.all &&
    scope.ids.length === 0 &&
    scope.namePrefix === undefined &&
    scope.nameRegex === undefined
  ) {
    issues.push(
      `${p}_GROUP_IDS, ${p}_GROUP_NAME_PREFIX, ${p}_GROUP_NAME_REGEX${appVariable === undefined ? '' : `, ${appVariable}`}: none is set, so no group is in scope. Set at least one, or ${p}_ALL_GROUPS=true to turn every group into a team`,
    );
    return undefined;
  }
  return scope;
}

/** Builds and validates every source named in `IDP_SOURCES`; problems go to `issues`. */
export function sourcesFromEnv(
  names: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  issues: string[],
): SourceSetup[] {
  const setups: SourceSetup[] = [];
  for (const name of names) {
    if (!(sourceNames as readonly string[]).includes(name)) {
      issues.push(`IDP_SOURCES: unknown source "${name}" (known: ${sourceNames.join(', ')})`);
      continue;
    }
    const source = name as SourceName;
    const factory = sourceFactories[source];
    if (factory === undefined) {
      issues.push(
        `IDP_SOURCES: the ${source} source is not available in this version (available: ${Object.keys(sourceFactories).join(', ')})`,
      );
      continue;
    }
    const scope = scopeFromEnv(source, env, issues);
    const raw = rawSourceConfig(source, env, scope);
    const parsed = factory.configSchema.safeParse(raw);
    if (!parsed.success) {
      issues.push(
        ...parsed.error.issues.map(
          issue => `${sourceVariable(source, issue.path)}: ${issue.message}`,
        ),
      );
      continue;
    }
    const attribute = userIdAttribute(source, env, issues) ?? factory.defaultUserIdAttribute;
    if (scope !== undefined) {
      setups.push({ name: source, config: parsed.data, userIdAttribute: attribute });
    }
  }
  return setups;
}

/** The per-source variables, gathered into the shape the source's `configSchema` expects. */
function rawSourceConfig(
  source: SourceName,
  env: Readonly<Record<string, string | undefined>>,
  scope: ScopeConfig | undefined,
): unknown {
  switch (source) {
    case 'file':
      return { path: env['FILE_DIRECTORY_PATH'] ?? '', scope: scope ?? { ids: [], all: true } };
    case 'entra':
      return {
        tenantId: emptyToUndefined(env['ENTRA_TENANT_ID']),
        clientId: emptyToUndefined(env['ENTRA_CLIENT_ID']),
        clientSecret: emptyToUndefined(env['ENTRA_CLIENT_SECRET']),
        certificatePath: emptyToUndefined(env['ENTRA_CLIENT_CERTIFICATE_PATH']),
        authorityHost: emptyToUndefined(env['ENTRA_AUTHORITY_HOST']),
        graphBaseUrl: emptyToUndefined(env['GRAPH_BASE_URL']),
        appServicePrincipalId: emptyToUndefined(env['ENTRA_APP_SERVICE_PRINCIPAL_ID']),
        throttlePriority: emptyToUndefined(env['ENTRA_THROTTLE_PRIORITY']),
        scope: scope ?? { ids: [], all: true },
      };
    case 'okta':
      return {
        orgUrl: env['OKTA_ORG_URL'] ?? '',
        apiToken: emptyToUndefined(env['OKTA_API_TOKEN']),
        clientId: emptyToUndefined(env['OKTA_CLIENT_ID']),
        privateKey: emptyToUndefined(env['OKTA_PRIVATE_KEY']),
        keyId: emptyToUndefined(env['OKTA_KEY_ID']),
        appId: emptyToUndefined(env['OKTA_APP_ID']),
        groupTypes: emptyToUndefined(env['OKTA_GROUP_TYPES']),
        activeStatuses: emptyToUndefined(env['OKTA_ACTIVE_STATUSES']),
        rateLimitShare: emptyToUndefined(env['OKTA_RATE_LIMIT_SHARE']),
        fullResyncHours: emptyToUndefined(env['OKTA_FULL_RESYNC_HOURS']),
        scope: scope ?? { ids: [], all: true },
      };
    case 'auth0':
      return {
        domain: env['AUTH0_DOMAIN'] ?? '',
        clientId: emptyToUndefined(env['AUTH0_CLIENT_ID']),
        clientSecret: emptyToUndefined(env['AUTH0_CLIENT_SECRET']),
        baseUrl: emptyToUndefined(env['AUTH0_BASE_URL']),
        groupsFrom: emptyToUndefined(env['AUTH0_GROUPS_FROM']),
        scope: scope ?? { ids: [], all: true },
      };
    case 'google':
      return {
        keyFile: emptyToUndefined(env['GOOGLE_SERVICE_ACCOUNT_KEY_FILE']),
        keyJson: emptyToUndefined(env['GOOGLE_SERVICE_ACCOUNT_JSON']),
        subject: emptyToUndefined(env['GOOGLE_ADMIN_SUBJECT']),
        customerId: emptyToUndefined(env['GOOGLE_CUSTOMER_ID']),
        apiBaseUrl: emptyToUndefined(env['GOOGLE_API_BASE_URL']),
        tokenUrl: emptyToUndefined(env['GOOGLE_TOKEN_URL']),
        queriesPerMinute: emptyToUndefined(env['GOOGLE_QUERIES_PER_MINUTE']),
        scope: scope ?? { ids: [], all: true },
      };
    case 'keycloak':
      return {
        url: env['KEYCLOAK_URL'] ?? '',
        realm: env['KEYCLOAK_REALM'] ?? '',
        clientId: emptyToUndefined(env['KEYCLOAK_CLIENT_ID']),
        clientSecret: emptyToUndefined(env['KEYCLOAK_CLIENT_SECRET']),
        scope: scope ?? { ids: [], all: true },
      };
    case 'onelogin':
      return {
        baseUrl: emptyToUndefined(env['ONELOGIN_BASE_URL']),
        clientId: emptyToUndefined(env['ONELOGIN_CLIENT_ID']),
        clientSecret: emptyToUndefined(env['ONELOGIN_CLIENT_SECRET']),
        activeStatuses: emptyToUndefined(env['ONELOGIN_ACTIVE_STATUSES']),
        rateLimitShare: emptyToUndefined(env['ONELOGIN_RATE_LIMIT_SHARE']),
        fullResyncHours: emptyToUndefined(env['ONELOGIN_FULL_RESYNC_HOURS']),
        scope: scope ?? { ids: [], all: true },
      };
    default:
      return { scope };
  }
}

/** Names the environment variable behind a path in a source's config. */
function sourceVariable(source: SourceName, path: readonly PropertyKey[]): string {
  if (source === 'file' && path[0] === 'path') {
    return 'FILE_DIRECTORY_PATH';
  }
  const entraVariable = source === 'entra' ? entraVariables[String(path[0])] : undefined;
  if (entraVariable !== undefined) {
    return entraVariable;
  }
  const oktaVariable = source === 'okta' ? oktaVariables[String(path[0])] : undefined;
  if (oktaVariable !== undefined) {
    return oktaVariable;
  }
  const auth0Variable = source === 'auth0' ? auth0Variables[String(path[0])] : undefined;
  if (auth0Variable !== undefined) {
    return auth0Variable;
  }
  const oneloginVariable = source === 'onelogin' ? oneloginVariables[String(path[0])] : undefined;
  if (oneloginVariable !== undefined) {
    return oneloginVariable;
  }
  const ownVariable =
    source === 'google'
      ? googleVariables[String(path[0])]
      : source === 'keycloak'
        ? keycloakVariables[String(path[0])]
        : undefined;
  if (ownVariable !== undefined) {
    return ownVariable;
  }
  return `${prefix(source)} ${path.map(String).join('.')}`;
}

/** The variable behind each field of the entra source's config. */
const entraVariables: Record<string, string> = {
  tenantId: 'ENTRA_TENANT_ID',
  clientId: 'ENTRA_CLIENT_ID',
  clientSecret: 'ENTRA_CLIENT_SECRET / ENTRA_CLIENT_CERTIFICATE_PATH',
  certificatePath: 'ENTRA_CLIENT_CERTIFICATE_PATH',
  authorityHost: 'ENTRA_AUTHORITY_HOST',
  graphBaseUrl: 'GRAPH_BASE_URL',
  appServicePrincipalId: 'ENTRA_APP_SERVICE_PRINCIPAL_ID',
  throttlePriority: 'ENTRA_THROTTLE_PRIORITY',
  scope:
    'ENTRA_GROUP_IDS / ENTRA_GROUP_NAME_PREFIX / ENTRA_GROUP_NAME_REGEX / ENTRA_APP_SERVICE_PRINCIPAL_ID',
};

/** The variable behind each field of the okta source's config. */
const oktaVariables: Record<string, string> = {
  orgUrl: 'OKTA_ORG_URL',
  apiToken: 'OKTA_API_TOKEN',
  clientId: 'OKTA_CLIENT_ID',
  privateKey: 'OKTA_PRIVATE_KEY',
  keyId: 'OKTA_KEY_ID',
  appId: 'OKTA_APP_ID',
  groupTypes: 'OKTA_GROUP_TYPES',
  activeStatuses: 'OKTA_ACTIVE_STATUSES',
  rateLimitShare: 'OKTA_RATE_LIMIT_SHARE',
  fullResyncHours: 'OKTA_FULL_RESYNC_HOURS',
  scope: 'OKTA_GROUP_IDS / OKTA_GROUP_NAME_PREFIX / OKTA_GROUP_NAME_REGEX / OKTA_APP_ID',
};

/** The variable behind each field of the auth0 source's config. */
const auth0Variables: Record<string, string> = {
  domain: 'AUTH0_DOMAIN',
  clientId: 'AUTH0_CLIENT_ID',
  clientSecret: 'AUTH0_CLIENT_SECRET',
  baseUrl: 'AUTH0_BASE_URL',
  groupsFrom: 'AUTH0_GROUPS_FROM',
  scope: 'AUTH0_GROUP_IDS / AUTH0_GROUP_NAME_PREFIX / AUTH0_GROUP_NAME_REGEX',
};

/** The variable behind each field of the onelogin source's config. */
const oneloginVariables: Record<string, string> = {
  baseUrl: 'ONELOGIN_BASE_URL',
  clientId: 'ONELOGIN_CLIENT_ID',
  clientSecret: 'ONELOGIN_CLIENT_SECRET',
  activeStatuses: 'ONELOGIN_ACTIVE_STATUSES',
  rateLimitShare: 'ONELOGIN_RATE_LIMIT_SHARE',
  fullResyncHours: 'ONELOGIN_FULL_RESYNC_HOURS',
  scope: 'ONELOGIN_GROUP_IDS / ONELOGIN_GROUP_NAME_PREFIX / ONELOGIN_GROUP_NAME_REGEX',
};

/** The variable behind each field of the google source's config. */
const googleVariables: Record<string, string> = {
  keyFile: 'GOOGLE_SERVICE_ACCOUNT_KEY_FILE / GOOGLE_SERVICE_ACCOUNT_JSON',
  keyJson: 'GOOGLE_SERVICE_ACCOUNT_JSON',
  subject: 'GOOGLE_ADMIN_SUBJECT',
  customerId: 'GOOGLE_CUSTOMER_ID',
  apiBaseUrl: 'GOOGLE_API_BASE_URL',
  tokenUrl: 'GOOGLE_TOKEN_URL',
  queriesPerMinute: 'GOOGLE_QUERIES_PER_MINUTE',
  scope: 'GOOGLE_GROUP_IDS / GOOGLE_GROUP_NAME_PREFIX / GOOGLE_GROUP_NAME_REGEX',
};

/** The variable behind each field of the keycloak source's config. */
const keycloakVariables: Record<string, string> = {
  url: 'KEYCLOAK_URL',
  realm: 'KEYCLOAK_REALM',
  clientId: 'KEYCLOAK_CLIENT_ID',
  clientSecret: 'KEYCLOAK_CLIENT_SECRET',
  scope: 'KEYCLOAK_GROUP_IDS / KEYCLOAK_GROUP_NAME_PREFIX / KEYCLOAK_GROUP_NAME_REGEX',
};

const userIdAttributes = z.enum(['externalId', 'login', 'email']);

function userIdAttribute(
  source: SourceName,
  env: Readonly<Record<string, string | undefined>>,
  issues: string[],
): UserIdAttribute | undefined {
  const variable = `${prefix(source)}_USER_ID_ATTRIBUTE`;
  const value = emptyToUndefined(env[variable]);
  if (value === undefined) {
    return undefined;
  }
  const parsed = userIdAttributes.safeParse(value);
  if (!parsed.success) {
    issues.push(`${variable}: expected externalId, login or email (got "${value}")`);
    return undefined;
  }
  return parsed.data;
}

function emptyToUndefined(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}
