/** Messages between the benchmark harness and its simulator process (`bench/sims.ts`). */
import type { ResourceUnitStats } from '../src/sim/entra/types.js';

/** The IdP simulator a scenario runs against. */
export type IdpName = 'entra' | 'okta';

export type SimCommand =
  | {
      readonly cmd: 'start';
      /** @defaultValue 'entra' */
      readonly idp?: IdpName | undefined;
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

type CommonInfo = {
  readonly litellm: { readonly url: string; readonly masterKey: string };
  readonly userIds: readonly string[];
};

/** How the engine reaches the IdP simulator that runs. */
export type IdpInfo =
  | {
      readonly idp: 'entra';
      readonly entra: {
        readonly url: string;
        readonly tenantId: string;
        readonly clientId: string;
        readonly clientSecret: string;
      };
    }
  | {
      readonly idp: 'okta';
      /** The org URL (plain http on 127.0.0.1) and an SSWS API token it accepts. */
      readonly okta: { readonly url: string; readonly apiToken: string };
    };

export type SimInfo = CommonInfo & IdpInfo;

export type SimCounters = {
  /** IdP calls by endpoint, as the running IdP simulator counts them. */
  readonly idp: Record<string, number>;
  /** 429 answers by endpoint (Okta's rate limits; empty for Entra, whose throttle is in resource units). */
  readonly idpThrottled: Record<string, number>;
  readonly litellm: Record<string, number>;
  readonly litellmWrites: number;
  /** CPU time (ms) the simulator process has used so far. */
  readonly cpuMs: number;
  /** Graph resource units (Entra only). */
  readonly resourceUnits?: ResourceUnitStats | undefined;
};

export type ChurnResult = {
  readonly changes: number;
  readonly addedMemberships: number;
  readonly removedMemberships: number;
  readonly newUsers: number;
  /**
   * Distinct groups whose membership changed (Okta only: its incremental read re-reads each
   * changed group's member list, so the minimum depends on it).
   */
  readonly changedGroups?: number | undefined;
};
