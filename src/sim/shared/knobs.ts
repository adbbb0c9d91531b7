/**
 * The test knobs every simulator has: a fixed latency, fault rules with their hang time, and the
 * closing flag that turns requests still in flight into dropped connections.
 */
import type { FaultRule } from './fault-rule.js';
import { createFaultInjector, type FaultInjector } from './faults.js';
import { closeServer, type SimServer } from './listen.js';
import { createPagingFaults, type PagingFault, type PagingFaults } from './paging-faults.js';
import { createSleeper } from './sleeper.js';

/** How the knobs start. */
export type KnobOptions<R extends FaultRule> = {
  /** Source of `FaultRule.probability` draws (see `createFaultInjector`). */
  random: () => number;
  /** @defaultValue 0 */
  latencyMs?: number | undefined;
  /** @defaultValue [] */
  faults?: readonly R[] | undefined;
};

/** One simulator's knobs. */
export type Knobs<R extends FaultRule> = {
  readonly faults: FaultInjector<R>;
  /** Paging faults, applied by simulators whose lists page (see `paging-faults.ts`). */
  readonly paging: PagingFaults;
  setLatency(ms: number): void;
  /** Waits the fixed latency; returns at once when there is none or the simulator is closing. */
  delay(): Promise<void>;
  /** The rule that fires for this request (see `FaultInjector.match`), after its `hangMs`. */
  fault(method: string, path: string, applies?: (rule: R) => boolean): Promise<R | undefined>;
  /** True once `close()` ran: a request that gets here must be dropped, not answered. */
  closed(): boolean;
  /** Marks the simulator closed and ends every pending delay; `false` when it already was. */
  close(): boolean;
};

/** Creates the knobs of one simulator. */
export function createKnobs<R extends FaultRule>(options: KnobOptions<R>): Knobs<R> {
  const faults = createFaultInjector(options.random, options.faults ?? []);
  const sleeper = createSleeper();
  let latencyMs = options.latencyMs ?? 0;
  let closed = false;
  // A delay that starts after close() would outlive it; there is nobody left to answer anyway.
  const sleep = (ms: number) => (closed ? Promise.resolve() : sleeper.sleep(ms));
  return {
    faults,
    paging: createPagingFaults(),
    setLatency: ms => {
      latencyMs = ms;
    },
    delay: () => (latencyMs > 0 ? sleep(latencyMs) : Promise.resolve()),
    fault: async (method, path, applies) => {
      const rule = faults.match(method, path, applies);
      if (rule?.hangMs) {
        await sleep(rule.hangMs);
      }
      return rule;
    },
    closed: () => closed,
    close: () => {
      if (closed) {
        return false;
      }
      closed = true;
      sleeper.cancelAll();
      return true;
    },
  };
}

/** The knob methods every simulator handle exposes, delegating to its {@link Knobs}. */
export function knobControls<R extends FaultRule>(
  knobs: Knobs<R>,
): {
  setFaults(rules: readonly R[]): void;
  clearFaults(): void;
  setLatency(ms: number): void;
  setPagingFault(fault: PagingFault): void;
  clearPagingFault(): void;
  pagingFaultsFired(): number;
} {
  return {
    setFaults: rules => knobs.faults.setRules(rules),
    clearFaults: () => knobs.faults.clear(),
    setPagingFault: fault => knobs.paging.set(fault),
    clearPagingFault: () => knobs.paging.clear(),
    pagingFaultsFired: () => knobs.paging.fired(),
    setLatency: ms => knobs.setLatency(ms),
  };
}

/**
 * Closes a simulator once: marks its knobs closed, then closes the server. A second call does
 * nothing, instead of failing on a server that is no longer listening.
 */
export async function closeOnce<R extends FaultRule>(
  knobs: Knobs<R>,
  server: SimServer,
): Promise<void> {
  if (knobs.close()) {
    await closeServer(server);
  }
}
