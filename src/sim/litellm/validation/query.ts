/**
 * FastAPI `Query(...)` parameters: every parameter is read, errors are collected and thrown
 * together as one 422 (shape C) with `loc: ["query", name]` and the raw string as `input`.
 */
import { RequestValidation, type PyErrorDetail } from '../errors.js';
import { py } from './py-checks.js';

/** Bounds of an integer query parameter (`Query(default, ge=…, le=…)`). */
export type IntBounds = { fallback: number; ge?: number; le?: number };

/** Collects query parameter values and their validation errors. */
export type QueryReader = {
  /** Optional string; Starlette keeps the last value when a name repeats. */
  str(name: string): string | undefined;
  /** Every value of a repeated parameter (`List[str]` query). */
  all(name: string): string[] | undefined;
  int(name: string, bounds: IntBounds): number;
  bool(name: string, fallback: boolean): boolean;
  /** Throws the collected errors, if any. */
  finish(): void;
};

/** Starts reading `query`. */
export function createQueryReader(query: URLSearchParams): QueryReader {
  const errors: PyErrorDetail[] = [];
  const last = (name: string): string | undefined => {
    const values = query.getAll(name);
    return values.length > 0 ? values[values.length - 1] : undefined;
  };
  const report = (name: string, details: PyErrorDetail[]) => {
    errors.push(...details.map(d => ({ ...d, loc: ['query', name] })));
  };
  return {
    str: last,
    all: name => (query.has(name) ? query.getAll(name) : undefined),
    int(name, { fallback, ge, le }) {
      const raw = last(name);
      if (raw === undefined) {
        return fallback;
      }
      const r = py.int(raw);
      if (!r.ok) {
        report(name, r.errors);
        return fallback;
      }
      if (ge !== undefined && r.value < ge) {
        const msg = `Input should be greater than or equal to ${ge}`;
        report(name, [{ type: 'greater_than_equal', loc: [], msg, input: raw, ctx: { ge } }]);
      } else if (le !== undefined && r.value > le) {
        const msg = `Input should be less than or equal to ${le}`;
        report(name, [{ type: 'less_than_equal', loc: [], msg, input: raw, ctx: { le } }]);
      }
      return r.value;
    },
    bool(name, fallback) {
      const raw = last(name);
      if (raw === undefined) {
        return fallback;
      }
      const r = py.bool(raw);
      if (!r.ok) {
        report(name, r.errors);
        return fallback;
      }
      return r.value;
    },
    finish() {
      if (errors.length > 0) {
        throw new RequestValidation(errors);
      }
    },
  };
}
