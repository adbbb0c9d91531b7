import type { Store } from '../store/types.js';
import type { Target } from '../target/types.js';
import type { KeyedMutex } from './keyed-mutex.js';

/** What one operation runs against, and on whose behalf. */
export type ExecuteContext = {
  readonly target: Target;
  readonly store: Store;
  readonly source: string;
  readonly runId: string;
  readonly signal?: AbortSignal | undefined;
  /** Serialises roster changes per team (see keyed-mutex.ts). */
  readonly teamLock: KeyedMutex;
  /** The clock (ms since the epoch), for suspension records. @defaultValue Date.now */
  readonly now?: (() => number) | undefined;
};

/** Facts about what an operation did, kept with its outcome (e.g. how many keys it deleted). */
export type OperationDetail = Readonly<Record<string, unknown>>;
