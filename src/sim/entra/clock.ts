/**
 * The simulator's clock. Access-token expiry, delta-token lifetime (7 days) and throttling
 * windows all read it, so a test can move time instead of waiting.
 */

/** A settable clock. */
export type Clock = {
  /** Milliseconds since the epoch (a plain function: it is handed around detached). */
  now: () => number;
  /** Freezes the clock at `ms`; `undefined` returns to real time. */
  set: (ms: number | undefined) => void;
};

/** Creates a clock, frozen at `initial` when given. */
export function createClock(initial?: number): Clock {
  let frozen = initial;
  return {
    now: () => frozen ?? Date.now(),
    set: ms => {
      frozen = ms;
    },
  };
}
