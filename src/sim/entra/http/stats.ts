/**
 * Call counters for tests and benchmarks: calls and resource units by endpoint template, and
 * Graph requests by `x-ms-throttle-priority`.
 */
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

function bump(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

/** Creates zeroed counters. */
export function createStats(): Stats {
  const calls = new Map<string, number>();
  const units = new Map<string, number>();
  const priorities = new Map<string, number>();
  return {
    call: endpoint => bump(calls, endpoint),
    units: (endpoint, value) => bump(units, endpoint, value),
    priority: value => bump(priorities, (value ?? 'normal').toLowerCase()),
    calls: () => Object.fromEntries(calls),
    resourceUnits: () => ({
      total: [...units.values()].reduce((a, b) => a + b, 0),
      byEndpoint: Object.fromEntries(units),
    }),
    priorities: () => Object.fromEntries(priorities),
    reset: () => {
      calls.clear();
      units.clear();
      priorities.clear();
    },
  };
}
