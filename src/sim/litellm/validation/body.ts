/**
 * Request bodies as zod schemas whose issues carry pydantic's error items, so a failed parse
 * maps one-to-one onto FastAPI's 422 `{"detail": [{type, loc, msg, input, ctx}]}` (shape C).
 */
import { z } from 'zod';

import { RequestValidation, type PyErrorDetail } from '../errors.js';
import type { Check } from './py-checks.js';

/** Wraps a pydantic check as a zod schema; each pydantic error becomes one custom issue. */
export function pydanticSchema<T>(check: Check<T>): z.ZodType<T> {
  return z.unknown().transform((value, ctx): T => {
    const result = check(value);
    if (result.ok) {
      return result.value;
    }
    for (const detail of result.errors) {
      ctx.addIssue({ code: 'custom', message: detail.msg, path: detail.loc, params: { detail } });
    }
    return z.NEVER;
  });
}

function isDetail(value: unknown): value is PyErrorDetail {
  return typeof value === 'object' && value !== null && 'type' in value && 'msg' in value;
}

/** Maps zod issues to shape C items located under `body`. */
function toDetails(issues: readonly z.core.$ZodIssue[]): PyErrorDetail[] {
  return issues.map(issue => {
    const carried: unknown = (issue as { params?: { detail?: unknown } }).params?.detail;
    const loc = ['body', ...issue.path.map(p => (typeof p === 'number' ? p : String(p)))];
    if (isDetail(carried)) {
      return { ...carried, loc };
    }
    return { type: 'value_error', loc, msg: issue.message, input: null };
  });
}

/**
 * Parses a JSON body like FastAPI does for a required body model: an empty body is one `missing`
 * error at `["body"]`; anything else is validated by `schema`. Throws `RequestValidation`.
 */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  if (body === undefined || body === null) {
    throw new RequestValidation([
      { type: 'missing', loc: ['body'], msg: 'Field required', input: null },
    ]);
  }
  const result = schema.safeParse(body);
  if (!result.success) {
    throw new RequestValidation(toDetails(result.error.issues));
  }
  return result.data;
}
