/**
 * Job payloads are read back from Redis, where anyone with access can write: each one is parsed
 * before a handler sees it, and one that does not parse fails its job at once.
 */
import { z } from 'zod';

import type { JobName, JobPayloads } from './names.js';

const id = z.string().trim().min(1).max(512);

const schemas = {
  'sync-user': z.object({ source: id, subject: id }),
  'full-reconcile': z.object({
    source: id,
    mode: z.enum(['delta', 'full']),
    trigger: z.enum(['schedule', 'manual']).optional(),
  }),
  resync: z.object({
    source: id,
    target: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('user'), subject: id }),
      z.object({ kind: z.literal('group'), group: id }),
      z.object({ kind: z.literal('all') }),
    ]),
  }),
} satisfies { [N in JobName]: z.ZodType<JobPayloads[N]> };

/** Whether `name` is one of this service's job names. */
export function isJobName(name: string): name is JobName {
  return Object.hasOwn(schemas, name);
}

/**
 * The payload of a `name` job, checked.
 * @throws Error naming the job and the first problem
 */
export function parsePayload<N extends JobName>(name: N, data: unknown): JobPayloads[N] {
  const parsed = schemas[name].safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `malformed ${name} payload: ${issue === undefined ? 'invalid' : `${issue.path.join('.') || '(root)'}: ${issue.message}`}`,
    );
  }
  return parsed.data as JobPayloads[N];
}
