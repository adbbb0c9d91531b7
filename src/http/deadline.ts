/**
 * A per-request deadline that ends with the request. `AbortSignal.timeout` keeps its timer (and
 * whatever listens on the signal, i.e. the request) alive for the whole timeout after the request
 * is done, and `AbortSignal.any` ties every request's signal to the caller's long-lived one: at
 * L, with a 30 s timeout and ~2,000 calls/s, tens of thousands of finished requests stayed
 * reachable and the run's peak RSS doubled (BENCHMARKS.md). Here the timer and the listener on
 * the caller's signal are both removed by {@link Deadline.dispose}.
 */

/** The signal of one request, aborted by the timeout or by the caller's signal. */
export type Deadline = {
  readonly signal: AbortSignal;
  /** Whether the timeout (not the caller) aborted the signal. */
  timedOut(): boolean;
  /** Stops the timer and stops listening to the caller's signal; call when the request ends. */
  dispose(): void;
};

/** Starts a deadline of `timeoutMs`, also aborted when `parent` aborts. */
export function startDeadline(timeoutMs: number, parent?: AbortSignal): Deadline {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException('The operation timed out.', 'TimeoutError'));
  }, timeoutMs);
  const onAbort = (): void => {
    controller.abort(parent?.reason);
  };
  if (parent?.aborted === true) {
    onAbort();
  } else {
    parent?.addEventListener('abort', onAbort, { once: true });
  }
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    dispose: () => {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onAbort);
    },
  };
}
