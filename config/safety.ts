import { z } from 'zod';

import {
  defaultLifecyclePolicy,
  parseDuration,
  type LifecyclePolicy,
} from '../src/reconcile/lifecycle.js';
import type { SafetyThresholds } from '../src/reconcile/threshold.js';

/** The safety settings (issue 7): circuit-breaker limits per source, and the lifecycle policy. */
export type SafetySettings = {
  /** Source name → its limits (`<SOURCE>_DEPROVISION_MAX` etc., falling back to the global ones). */
  readonly thresholds: Readonly<Record<string, SafetyThresholds>>;
  readonly lifecycle: LifecyclePolicy;
  /** How long audit entries are kept (AUDIT_RETENTION), ms. */
  readonly auditRetentionMs: number;
};

const limitValue = z
  .string()
  .trim()
  .regex(/^\d+(\.\d+)?$/, 'expected a number ≥ 0 (0 switches the limit off)')
  .transform(Number);
const duration = z
  .string()
  .trim()
  .transform((value, ctx) => {
    const ms = parseDuration(value);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: 'expected a duration such as 72h, 3d, 90m or 0' });
      return z.NEVER;
    }
    return ms;
  });
const mode = z.enum(['delete', 'block'], { message: 'expected delete or block' });
const onGroupRemoved = z.enum(['keep', 'block', 'delete'], {
  message: 'expected keep, block or delete',
});
const confirmations = z
  .string()
  .trim()
  .regex(/^[1-9]\d*$/, 'expected a whole number ≥ 1')
  .transform(Number);

/** Global defaults of each limit variable. */
const limitDefaults = {
  DEPROVISION_MAX: 25,
  DEPROVISION_MAX_PERCENT: 20,
  REMOVAL_MAX: 100,
  REMOVAL_MAX_PERCENT: 20,
  KEY_DELETE_MAX: 250,
} as const;

/**
 * Reads the safety variables for the configured sources; problems go to `issues`, each naming
 * its variable.
 */
export function safetyFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  sources: readonly string[],
  issues: string[],
): SafetySettings {
  const read = <T>(name: string, schema: z.ZodType<T, string>, fallback: T): T => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') {
      return fallback;
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      issues.push(`${name}: ${parsed.error.issues.map(i => i.message).join('; ')}`);
      return fallback;
    }
    return parsed.data;
  };
  const limits = (prefix: string, fallback: Record<keyof typeof limitDefaults, number>) =>
    Object.fromEntries(
      Object.entries(limitDefaults).map(([name]) => [
        name,
        read(`${prefix}${name}`, limitValue, fallback[name as keyof typeof limitDefaults]),
      ]),
    ) as Record<keyof typeof limitDefaults, number>;
  const global = limits('', limitDefaults);
  const thresholds = Object.fromEntries(
    sources.map(source => {
      const l = limits(`${source.toUpperCase()}_`, global);
      const value: SafetyThresholds = {
        deprovisions: { maxCount: l.DEPROVISION_MAX, maxPercent: l.DEPROVISION_MAX_PERCENT },
        removals: { maxCount: l.REMOVAL_MAX, maxPercent: l.REMOVAL_MAX_PERCENT },
        keyDeletions: { maxCount: l.KEY_DELETE_MAX },
      };
      return [source, value];
    }),
  );
  return {
    thresholds,
    lifecycle: {
      mode: read('DEPROVISION_MODE', mode, defaultLifecyclePolicy.mode),
      graceMs: read('DEPROVISION_GRACE', duration, defaultLifecyclePolicy.graceMs),
      confirmations: read(
        'DEPROVISION_CONFIRMATIONS',
        confirmations,
        defaultLifecyclePolicy.confirmations,
      ),
      onGroupRemoved: read(
        'ON_GROUP_REMOVED',
        onGroupRemoved,
        defaultLifecyclePolicy.onGroupRemoved,
      ),
    },
    auditRetentionMs: read('AUDIT_RETENTION', duration, 90 * 86_400_000),
  };
}
