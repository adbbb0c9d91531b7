/**
 * Pydantic v2 (lax mode) field checks. Each check returns the coerced value or the exact error
 * items pydantic would report (`type`, `msg`, `input`, `ctx`), with `loc` relative to the value.
 * They are composed into models here and wrapped in zod schemas by `body.ts`.
 *
 * @see https://docs.pydantic.dev/latest/errors/validation_errors/
 */
import type { PyErrorDetail } from '../errors.js';

/** The outcome of one check. */
export type CheckResult<T> = { ok: true; value: T } | { ok: false; errors: PyErrorDetail[] };

/** A pydantic validator for one value. */
export type Check<T> = (value: unknown) => CheckResult<T>;

/** How a model field treats a missing key. */
export type FieldSpec<T> = {
  kind: 'required' | 'optional' | 'default';
  check: Check<unknown>;
  fallback?: T;
};

const TRUE_WORDS = new Set(['1', 'on', 't', 'true', 'y', 'yes']);
const FALSE_WORDS = new Set(['0', 'off', 'f', 'false', 'n', 'no']);

function pass<T>(value: T): CheckResult<T> {
  return { ok: true, value };
}

function fail<T>(type: string, msg: string, input: unknown, ctx?: Record<string, unknown>) {
  const detail: PyErrorDetail = { type, loc: [], msg, input, ...(ctx ? { ctx } : {}) };
  return { ok: false, errors: [detail] } as CheckResult<T>;
}

/** True for a JSON object (not an array, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const str: Check<string> = v =>
  typeof v === 'string' ? pass(v) : fail('string_type', 'Input should be a valid string', v);

const int: Check<number> = v => {
  if (typeof v === 'boolean') {
    return pass(v ? 1 : 0);
  }
  if (typeof v === 'number') {
    return Number.isInteger(v)
      ? pass(v)
      : fail(
          'int_from_float',
          'Input should be a valid integer, got a number with a fractional part',
          v,
        );
  }
  if (typeof v === 'string') {
    return /^\s*[+-]?\d+\s*$/.test(v)
      ? pass(Number.parseInt(v, 10))
      : fail(
          'int_parsing',
          'Input should be a valid integer, unable to parse string as an integer',
          v,
        );
  }
  return fail('int_type', 'Input should be a valid integer', v);
};

const float: Check<number> = v => {
  if (typeof v === 'boolean') {
    return pass(v ? 1 : 0);
  }
  if (typeof v === 'number') {
    return pass(v);
  }
  if (typeof v === 'string') {
    const n = Number(v.trim());
    return v.trim() !== '' && Number.isFinite(n)
      ? pass(n)
      : fail(
          'float_parsing',
          'Input should be a valid number, unable to parse string as a number',
          v,
        );
  }
  return fail('float_type', 'Input should be a valid number', v);
};

const bool: Check<boolean> = v => {
  if (typeof v === 'boolean') {
    return pass(v);
  }
  if (v === 0 || v === 1) {
    return pass(v === 1);
  }
  if (typeof v === 'string' || typeof v === 'number') {
    const word = String(v).trim().toLowerCase();
    if (TRUE_WORDS.has(word) || FALSE_WORDS.has(word)) {
      return pass(TRUE_WORDS.has(word));
    }
    return fail('bool_parsing', 'Input should be a valid boolean, unable to interpret input', v);
  }
  return fail('bool_type', 'Input should be a valid boolean', v);
};

const dict: Check<Record<string, unknown>> = v =>
  isPlainObject(v) ? pass(v) : fail('dict_type', 'Input should be a valid dictionary', v);

const anything: Check<unknown> = v => pass(v);

function list<T>(item: Check<T>): Check<T[]> {
  return v => {
    if (!Array.isArray(v)) {
      return fail('list_type', 'Input should be a valid list', v);
    }
    const out: T[] = [];
    const errors: PyErrorDetail[] = [];
    v.forEach((element: unknown, i) => {
      const r = item(element);
      if (r.ok) {
        out.push(r.value);
      } else {
        errors.push(...r.errors.map(e => ({ ...e, loc: [i, ...e.loc] })));
      }
    });
    return errors.length > 0 ? { ok: false, errors } : pass(out);
  };
}

/** Pydantic's wording for a `Literal[...]` mismatch: `'a', 'b' or 'c'`. */
function expectedText(reprs: readonly string[]): string {
  const quoted = [...reprs];
  const last = quoted.pop() ?? '';
  return quoted.length > 0 ? `${quoted.join(', ')} or ${last}` : last;
}

/**
 * `Literal[...]`. `labels` are the reprs pydantic prints when the literals are enum members,
 * e.g. `<LitellmUserRoles.PROXY_ADMIN: 'proxy_admin'>`.
 */
function literal<T extends string>(values: readonly T[], labels?: readonly string[]): Check<T> {
  const expected = expectedText(labels ?? values.map(v => `'${v}'`));
  return v =>
    typeof v === 'string' && (values as readonly string[]).includes(v)
      ? pass(v as T)
      : fail('literal_error', `Input should be ${expected}`, v, { expected });
}

/** A smart-mode union: the first branch that passes wins; otherwise every branch's errors. */
function union<T>(branches: readonly (readonly [label: string, check: Check<T>])[]): Check<T> {
  return v => {
    const errors: PyErrorDetail[] = [];
    for (const [label, check] of branches) {
      const r = check(v);
      if (r.ok) {
        return r;
      }
      errors.push(...r.errors.map(e => ({ ...e, loc: [label, ...e.loc] })));
    }
    return { ok: false, errors };
  };
}

type ModelOut<F> = { [K in keyof F]: F[K] extends FieldSpec<infer T> ? T : never };

/**
 * A pydantic model. `before` is a `model_validator(mode="before")`: it sees the raw input first
 * and its message becomes a `value_error` at the model's own location.
 */
function model<F extends Record<string, FieldSpec<unknown>>>(
  fields: F,
  before?: (raw: unknown) => string | undefined,
): Check<ModelOut<F>> {
  return raw => {
    const refusal = before?.(raw);
    if (refusal !== undefined) {
      return fail('value_error', `Value error, ${refusal}`, raw, { error: {} });
    }
    if (!isPlainObject(raw)) {
      const msg = 'Input should be a valid dictionary or object to extract fields from';
      return fail('model_attributes_type', msg, raw);
    }
    const out: Record<string, unknown> = {};
    const errors: PyErrorDetail[] = [];
    for (const [name, spec] of Object.entries(fields)) {
      if (!Object.hasOwn(raw, name)) {
        if (spec.kind === 'required') {
          errors.push({ type: 'missing', loc: [name], msg: 'Field required', input: raw });
        }
        out[name] = spec.fallback;
        continue;
      }
      const value = raw[name];
      if (value === null && spec.kind === 'optional') {
        out[name] = null;
        continue;
      }
      const r = spec.check(value);
      if (r.ok) {
        out[name] = r.value;
      } else {
        errors.push(...r.errors.map(e => ({ ...e, loc: [name, ...e.loc] })));
      }
    }
    return errors.length > 0 ? { ok: false, errors } : pass(out as ModelOut<F>);
  };
}

/** A field without a default. */
function required<T>(check: Check<T>): FieldSpec<T> {
  return { kind: 'required', check };
}

/**
 * `Optional[X] = None`: absent stays `undefined` (unset) unless a `fallback` default is given;
 * `null` stays `null`.
 */
function optional<T>(check: Check<T>, fallback?: T): FieldSpec<T | null | undefined> {
  return { kind: 'optional', check, fallback };
}

/** `X = fallback`: absent takes the default, `null` must still satisfy `X`. */
function withDefault<T>(check: Check<T>, fallback: T): FieldSpec<T> {
  return { kind: 'default', check, fallback };
}

/** The pydantic building blocks used by the request schemas. */
export const py = {
  str,
  int,
  float,
  bool,
  dict,
  anything,
  list,
  literal,
  union,
  model,
  required,
  optional,
  withDefault,
} as const;
