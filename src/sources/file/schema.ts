/**
 * The shapes of the `file` source: its configuration, and the directory file it reads (YAML or
 * JSON, same structure). Cross-references (member ids, nested group ids) are checked in `read.ts`.
 */
import { z } from 'zod';

import { isScopeConfigEmpty, scopeConfigSchema } from '../scope.js';

export { isScopeConfigEmpty, scopeConfigSchema, type ScopeConfig } from '../scope.js';

/** A list that may be left empty in YAML (`members:` with nothing after it parses as null). */
function list<T extends z.ZodType>(item: T) {
  return z
    .array(item)
    .nullish()
    .transform(items => items ?? []);
}

const idSchema = z.string().trim().min(1, 'expected a non-empty id');

/** One person. Deleting them from the IdP means removing the entry. */
export const fileUserSchema = z.strictObject({
  id: idSchema,
  login: z.string().trim().min(1).optional(),
  email: z.string().trim().min(1).optional(),
  name: z.string().optional(),
  status: z.enum(['active', 'disabled']).default('active'),
});

/** A user entry as written in the file. */
export type FileUser = z.infer<typeof fileUserSchema>;

/** One group: its direct user members and its direct child groups. */
export const fileGroupSchema = z.strictObject({
  id: idSchema,
  name: z.string().trim().min(1, 'expected a non-empty group name'),
  members: list(idSchema),
  groups: list(idSchema),
});

/** A group entry as written in the file. */
export type FileGroup = z.infer<typeof fileGroupSchema>;

/**
 * The whole directory file. Strict objects, so that a typo such as `member:` is an error rather
 * than a silently empty group (which would remove everyone's access on the next sync). References
 * are checked too: a dangling member id is a typo, not a person to ignore.
 */
export const directoryFileSchema = z
  .strictObject({
    users: list(fileUserSchema),
    groups: list(fileGroupSchema),
  })
  .superRefine(checkReferences);

/** The parsed directory file, before cross-reference checks. */
export type DirectoryFile = z.infer<typeof directoryFileSchema>;

type Report = (path: PropertyKey[], message: string) => void;

/** Duplicate ids and logins, unknown member ids and unknown nested group ids, each at its path. */
function checkReferences(
  directory: { users: readonly FileUser[]; groups: readonly FileGroup[] },
  context: z.RefinementCtx,
): void {
  const report: Report = (path, message) => context.addIssue({ code: 'custom', path, message });
  const userIds = firstIndexes(directory.users, user => user.id, 'users', report);
  // readUser matches logins case-insensitively, so two equal logins would make it ambiguous.
  const logins = new Map<string, number>();
  directory.users.forEach((user, index) => {
    if (userIds.get(user.id) !== index) {
      return; // already reported as a duplicate id
    }
    const field = user.login !== undefined ? 'login' : user.email !== undefined ? 'email' : 'id';
    const login = (user.login ?? user.email ?? user.id).toLowerCase();
    const earlier = logins.get(login);
    if (earlier === undefined) {
      logins.set(login, index);
    } else {
      report(['users', index, field], `duplicate login "${login}" (also users[${earlier}])`);
    }
  });
  const groupIds = firstIndexes(directory.groups, group => group.id, 'groups', report);
  directory.groups.forEach((group, index) => {
    group.members.forEach((id, position) => {
      if (!userIds.has(id)) {
        report(['groups', index, 'members', position], `unknown user id "${id}"`);
      }
    });
    group.groups.forEach((id, position) => {
      if (!groupIds.has(id)) {
        report(['groups', index, 'groups', position], `unknown group id "${id}"`);
      }
    });
  });
}

/** Maps each key to the index of its first holder, reporting later holders as duplicates. */
function firstIndexes<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  listName: string,
  report: Report,
): Map<string, number> {
  const first = new Map<string, number>();
  items.forEach((item, index) => {
    const key = keyOf(item);
    const earlier = first.get(key);
    if (earlier === undefined) {
      first.set(key, index);
    } else {
      report([listName, index, 'id'], `duplicate id "${key}" (also ${listName}[${earlier}])`);
    }
  });
  return first;
}

/** Configuration of the `file` source (`FILE_DIRECTORY_PATH` + the scope variables). */
export const fileSourceConfigSchema = z
  .object({
    /** Path of the `.yaml`, `.yml` or `.json` directory file; relative to the working directory. */
    path: z
      .string()
      .trim()
      .min(1, 'expected the path of a directory file')
      .regex(/\.(ya?ml|json)$/i, 'expected a file ending in .yaml, .yml or .json'),
    scope: scopeConfigSchema,
  })
  .refine(config => !isScopeConfigEmpty(config.scope), {
    path: ['scope'],
    message: 'no group selected: set ids, namePrefix or nameRegex, or set all to true',
  });

/** The validated configuration of one `file` source. */
export type FileSourceConfig = z.infer<typeof fileSourceConfigSchema>;
