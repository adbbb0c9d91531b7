import { z } from 'zod';

import type { Operation } from './operations.js';

const id = z.string().min(1);
const record = z.record(z.string(), z.unknown());
const reason = z.enum(['deleted', 'disabled', 'out_of_scope']);
const userRole = z.enum([
  'proxy_admin',
  'proxy_admin_viewer',
  'internal_user',
  'internal_user_viewer',
]);
const teamSettings = z.strictObject({
  models: z.array(z.string()).optional(),
  max_budget: z.number().optional(),
  budget_duration: z.string().optional(),
  tpm_limit: z.number().optional(),
  rpm_limit: z.number().optional(),
});

/** Every operation kind, checked field by field (unknown fields are refused: a typo is not a no-op). */
export const operationSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('createTeam'),
    teamId: id,
    alias: z.string(),
    externalId: id,
    settings: teamSettings.optional(),
  }),
  z.strictObject({
    kind: z.literal('adoptTeam'),
    teamId: id,
    alias: z.string(),
    externalId: id,
    metadata: record,
    unblock: z.literal(true).optional(),
  }),
  z.strictObject({
    kind: z.literal('renameTeam'),
    teamId: id,
    externalId: id,
    from: z.string().nullable(),
    to: z.string(),
  }),
  z.strictObject({
    kind: z.literal('createUser'),
    userId: id,
    externalId: id,
    email: z.string().nullable(),
    alias: z.string().nullable(),
    role: userRole,
  }),
  z.strictObject({
    kind: z.literal('adoptUser'),
    userId: id,
    externalId: id,
    matchedBy: z.enum(['user_id', 'sso_user_id', 'email']),
    email: z.string().nullable(),
    metadata: record,
  }),
  z.strictObject({
    kind: z.literal('updateUser'),
    userId: id,
    externalId: id,
    email: z.string().optional(),
    role: userRole.optional(),
  }),
  z.strictObject({
    kind: z.literal('addMembers'),
    teamId: id,
    members: z.array(z.strictObject({ userId: id, role: z.enum(['admin', 'user']) })).min(1),
  }),
  z.strictObject({ kind: z.literal('removeMember'), teamId: id, userId: id }),
  z.strictObject({ kind: z.literal('forgetGrant'), teamId: id, userId: id }),
  z.strictObject({
    kind: z.literal('deprovisionUser'),
    userId: id,
    externalId: id,
    reason,
    teams: z.array(id),
    afterGrace: z.literal(true).optional(),
  }),
  z.strictObject({
    kind: z.literal('suspendUser'),
    userId: id,
    externalId: id,
    reason,
    deleteAfter: z.number().int(),
  }),
  z.strictObject({
    kind: z.literal('restoreUser'),
    userId: id,
    externalId: id,
    tokens: z.array(id),
  }),
  z.strictObject({
    kind: z.literal('retireTeam'),
    teamId: id,
    externalId: id,
    action: z.enum(['keep', 'block', 'delete']),
    metadata: record,
  }),
  z.strictObject({ kind: z.literal('forgetUser'), userId: id }),
]) satisfies z.ZodType<Operation>;

const hex = z.string().regex(/^[0-9a-f]{64}$/, 'expected a sha256 hex digest');

/** The format tag of a saved plan file; bumped when the layout changes incompatibly. */
export const savedPlanFormat = 'idp-sync-plan/1';

/**
 * A plan saved by `idp-sync plan --out <file>` and applied by `idp-sync apply <file>`: the
 * operations, and the basis they were planned from (source, when, fingerprints of the reads).
 */
export const savedPlanSchema = z.strictObject({
  format: z.literal(savedPlanFormat),
  source: id,
  /** The dry run that made the plan. */
  runId: id,
  plannedAt: z.iso.datetime({ offset: true }),
  /** Whether the IdP read was complete (an incomplete one plans no removals). */
  complete: z.boolean(),
  basis: z.strictObject({
    fingerprint: z.string().regex(/^sha256:[0-9a-f]{64}$/, 'expected sha256:<64 hex digits>'),
    parts: z.strictObject({ idp: hex, litellm: hex, store: hex }),
  }),
  counts: z.record(z.string(), z.number().int().nonnegative()),
  operations: z.array(operationSchema),
});

/** A parsed saved plan; its operations are the engine's own type (the schema `satisfies` it). */
export type SavedPlan = Omit<z.infer<typeof savedPlanSchema>, 'operations'> & {
  readonly operations: readonly Operation[];
};

/** A zod issue path as `operations[3].teamId`. */
export function issuePath(path: readonly PropertyKey[]): string {
  if (path.length === 0) {
    return '(top level)';
  }
  return path
    .map((segment, i) =>
      typeof segment === 'number' ? `[${segment}]` : `${i === 0 ? '' : '.'}${String(segment)}`,
    )
    .join('');
}
