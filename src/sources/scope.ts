import { z } from 'zod';

/**
 * Which IdP groups become teams. The scope is the union of what is set; with nothing set a source
 * refuses to run unless `all` is true (turning every group of a tenant into teams is never silent).
 */
export type GroupScope = {
  readonly ids: readonly string[];
  readonly namePrefix?: string | undefined;
  readonly nameRegex?: RegExp | undefined;
  readonly all: boolean;
};

/** True when the group is selected by id, name prefix, name pattern, or `all`. */
export function isInScope(scope: GroupScope, group: { externalId: string; name: string }): boolean {
  if (scope.all || scope.ids.includes(group.externalId)) {
    return true;
  }
  if (scope.namePrefix !== undefined && group.name.startsWith(scope.namePrefix)) {
    return true;
  }
  return scope.nameRegex !== undefined && scope.nameRegex.test(group.name);
}

function isValidRegex(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

/**
 * Which groups become teams, as plain data (env-friendly: the loader fills it from
 * `<SOURCE>_GROUP_IDS`, `_GROUP_NAME_PREFIX`, `_GROUP_NAME_REGEX`, `_ALL_GROUPS`).
 */
export const scopeConfigSchema = z.object({
  ids: z.array(z.string().trim().min(1, 'expected a non-empty id')).default([]),
  namePrefix: z.string().min(1).optional(),
  nameRegex: z
    .string()
    .min(1)
    .refine(isValidRegex, 'expected a valid regular expression')
    .optional(),
  all: z.boolean().default(false),
});

/** Group scope as configured (the regex still a string). */
export type ScopeConfig = z.infer<typeof scopeConfigSchema>;

/** True when no selector is set: the source must refuse to run rather than sync nothing or all. */
export function isScopeConfigEmpty(scope: ScopeConfig): boolean {
  return (
    !scope.all &&
    scope.ids.length === 0 &&
    scope.namePrefix === undefined &&
    scope.nameRegex === undefined
  );
}

/** The configured scope with its pattern compiled, ready for {@link isInScope}. */
export function compileScope(scope: ScopeConfig): GroupScope {
  return {
    ids: scope.ids,
    namePrefix: scope.namePrefix,
    nameRegex: scope.nameRegex === undefined ? undefined : new RegExp(scope.nameRegex),
    all: scope.all,
  };
}
