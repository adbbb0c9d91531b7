/**
 * The engine turns failures into run reports (a failed read, an incomplete snapshot, a failed
 * operation) and keeps only their messages. To choose between retrying a job and failing it at
 * once, the worker needs the errors themselves — is it a 429 or a 401? — so it watches the
 * source and target of each run and keeps every error they throw.
 */
import type { ReconcileDeps } from '../src/reconcile/run-types.js';

/** Reconcile dependencies whose source and target report every error they throw to `errors`. */
export function recordingErrors(deps: ReconcileDeps): { deps: ReconcileDeps; errors: unknown[] } {
  const errors: unknown[] = [];
  const record = (error: unknown): void => {
    errors.push(error);
  };
  return {
    deps: { ...deps, source: watch(deps.source, record), target: watch(deps.target, record) },
    errors,
  };
}

/**
 * A view of `port` whose methods report what they throw: synchronously, through a returned
 * promise, or part-way through a returned async iterable. Values pass through untouched.
 */
function watch<T extends object>(port: T, record: (error: unknown) => void): T {
  return new Proxy(port, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') {
        return value;
      }
      return (...args: unknown[]): unknown => {
        let result: unknown;
        try {
          result = (value as (...a: unknown[]) => unknown).apply(target, args);
        } catch (error) {
          record(error);
          throw error;
        }
        if (result instanceof Promise) {
          return result.catch((error: unknown) => {
            record(error);
            throw error;
          });
        }
        if (isAsyncIterable(result)) {
          return watchIterable(result, record);
        }
        return result;
      };
    },
  });
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

function watchIterable<T>(
  iterable: AsyncIterable<T>,
  record: (error: unknown) => void,
): AsyncIterable<T> {
  return {
    async *[Symbol.asyncIterator]() {
      try {
        yield* iterable;
      } catch (error) {
        record(error);
        throw error;
      }
    },
  };
}
