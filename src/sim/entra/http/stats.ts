/**
 * Call counters for tests and benchmarks: calls and resource units by endpoint template, and
 * Graph requests by `x-ms-throttle-priority`.
 */
import { createTally } from '../../shared/tally.js';
import type { ResourceUnitStats } from '../model.js';

/** Mutable counters owned by one simulator. */
export type Stats = {
  call(endpoint: string): void;
  units(endpoint: string, units: number): void;
  priority(value: string | undefined): void;
  calls(): Record<string, number>;
  resourceUnits(): ResourceUnitStats;
  priorities(): Record<string, number>;
  reset(): void;
};

/** Creates zeroed counters. */
export function createStats(): Stats {
  const calls = createTally();
  const units = createTally();
  const priorities = createTally();
  return {
    call: endpoint => calls.add(endpoint),
    units: (endpoint, value) => units.add(endpoint, value),
    priority: value => priorities.add((value ?? 'normal').toLowerCase()),
    calls: () => calls.toRecord(),
    resourceUnits: () => ({ total: units.total(), byEndpoint: units.toRecord() }),
    priorities: () => priorities.toRecord(),
    reset: () => {
      calls.clear();
      units.clear();
      priorities.clear();
    },
  };
}
