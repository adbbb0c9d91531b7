/** Messages between the benchmark harness and its simulator process (`bench/sims.ts`). */
import type { ResourceUnitStats } from '../src/sim/entra/types.js';

export type SimCommand =
  | {
      readonly cmd: 'start';
      readonly users: number;
      readonly groups: number;
      readonly memberships: number;
      readonly nestedGroups: number;
      readonly latencyMs: number;
      /** How many in-group user ids to hand back (login load). */
      readonly sampleUsers: number;
    }
  | { readonly cmd: 'counters' }
  | { readonly cmd: 'reset' }
  | { readonly cmd: 'churn'; readonly share: number; readonly seed: number }
  | { readonly cmd: 'memory' }
  /** Adds each of these users to one group they are not in yet (login load: one write each). */
  | { readonly cmd: 'regroup'; readonly userIds: readonly string[] }
  | { readonly cmd: 'close' };

export type SimInfo = {
  readonly entra: {
    readonly url: string;
    readonly tenantId: string;
    readonly clientId: string;
    readonly clientSecret: string;
  };
  readonly litellm: { readonly url: string; readonly masterKey: string };
  readonly userIds: readonly string[];
};

export type SimCounters = {
  readonly entra: Record<string, number>;
  readonly litellm: Record<string, number>;
  readonly litellmWrites: number;
  /** CPU time (ms) the simulator process has used so far. */
  readonly cpuMs: number;
  readonly resourceUnits: ResourceUnitStats;
};

export type ChurnResult = {
  readonly changes: number;
  readonly addedMemberships: number;
  readonly removedMemberships: number;
  readonly newUsers: number;
};
