/**
 * The `file` source: a directory kept in one YAML or JSON file (GitOps, air-gapped sites, the
 * demo). It has no API to page through, so it reads the whole file on every call; that also
 * means an edit between two syncs is seen by the next one without a restart.
 */
import { ConfigError } from '../../errors.js';
import type { IdpGroup, IdpUser, UserReading } from '../../model.js';
import { findGroupPaths } from '../group-paths.js';
import { compileScope, isInScope, type GroupScope } from '../scope.js';
import type { Source, SourceDeps, SourceFactory } from '../types.js';
import { readDirectoryFile, type Directory } from './read.js';
import {
  fileSourceConfigSchema,
  isScopeConfigEmpty,
  type FileSourceConfig,
  type ScopeConfig,
} from './schema.js';

export {
  fileSourceConfigSchema,
  scopeConfigSchema,
  type FileSourceConfig,
  type ScopeConfig,
} from './schema.js';
import { reiterable } from '../reiterable.js';

/** The `file` source factory; ids in the file become LiteLLM `user_id`s by default. */
export const fileSource: SourceFactory<FileSourceConfig> = {
  configSchema: fileSourceConfigSchema,
  defaultUserIdAttribute: 'externalId',
  create: createFileSource,
};

/** Builds a `file` source reading `config.path` afresh on every list and lookup. */
export function createFileSource(config: FileSourceConfig, deps: SourceDeps): Source {
  const scope = toGroupScope(config.scope);
  const logger = deps.logger.child({ source: 'file', path: config.path });

  const load = async (signal?: AbortSignal): Promise<Directory> => {
    const directory = await readDirectoryFile(config.path, signal);
    for (const groupIds of directory.cycles) {
      // Members of a loop are the union around it, which is what nesting means; still, a loop is
      // almost always an editing mistake, so say so.
      logger.warn({ groupIds }, 'nested groups form a cycle');
    }
    return directory;
  };
  const inScopeGroups = (directory: Directory): IdpGroup[] =>
    directory.groups.filter(group => isInScope(scope, group));

  return {
    name: 'file',
    listGroups: signal => reiterable(async () => inScopeGroups(await load(signal))),
    listUsers: signal => reiterable(async () => (await load(signal)).users),
    async readUser(subject, signal): Promise<UserReading> {
      const directory = await load(signal);
      const user = findUser(directory.users, subject);
      if (user === undefined) {
        return { kind: 'deleted', source: 'file', subject };
      }
      const groups = inScopeGroups(directory)
        .filter(group => group.memberIds.includes(user.externalId))
        .map(group => ({ externalId: group.externalId, name: group.name }));
      return { kind: 'found', source: 'file', user, groups };
    },
    async groupPaths(externalId, signal) {
      const directory = await load(signal);
      return findGroupPaths(directory.nesting, externalId, group => isInScope(scope, group));
    },
  };
}

/**
 * Matches the IdP id exactly, then the login, then the e-mail (both case-insensitive, as IdPs
 * treat them). Each step runs over every user before the next, so an id never loses to a login.
 */
export function findUser(users: readonly IdpUser[], subject: string): IdpUser | undefined {
  const folded = subject.toLowerCase();
  return (
    users.find(user => user.externalId === subject) ??
    users.find(user => user.login.toLowerCase() === folded) ??
    users.find(user => user.email?.toLowerCase() === folded)
  );
}

/** Turns the plain-data scope into the matcher's form, refusing an empty one. */
export function toGroupScope(scope: ScopeConfig): GroupScope {
  if (isScopeConfigEmpty(scope)) {
    // Normally caught by the config schema; this guards callers that build the config by hand.
    throw new ConfigError([
      'file.scope: no group selected: set FILE_GROUP_IDS, FILE_GROUP_NAME_PREFIX or FILE_GROUP_NAME_REGEX, or FILE_ALL_GROUPS=true',
    ]);
  }
  return compileScope(scope);
}
