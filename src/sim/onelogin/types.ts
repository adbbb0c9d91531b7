/**
 * Options and handle of the OneLogin simulator.
 */
import type { FaultRule } from '../shared/fault-rule.js';
import type { Account, ScenarioInput, SimUser } from './account.js';
import type { PagingFault } from '../shared/paging-faults.js';

export type { FaultRule } from '../shared/fault-rule.js';

/** How a simulator starts. */
export type OneLoginSimulatorOptions = {
  port?: number | undefined;
  host?: string | undefined;
  /** API credentials allowed to get a token. */
  clients?: readonly { id: string; secret: string }[] | undefined;
  /** Calls per hour for the whole account. @defaultValue 5000 */
  callsPerHour?: number | undefined;
  /** Lifetime of an access token. @defaultValue 36000 (10 h, OneLogin's) */
  tokenTtlSeconds?: number | undefined;
  latencyMs?: number | undefined;
  faults?: readonly FaultRule[] | undefined;
  seed?: number | undefined;
  /** The simulator's clock (timestamps, token expiry, the hourly window). @defaultValue Date.now */
  now?: (() => number) | undefined;
};

/** A running simulator. */
export type OneLoginSimulator = {
  /** Base URL, e.g. `http://127.0.0.1:4400` (the source's `ONELOGIN_BASE_URL`). */
  readonly url: string;
  readonly port: number;
  /** The live account; change users through {@link OneLoginSimulator.updateUser} to stamp `updated_at`. */
  readonly account: Account;
  load(scenario: ScenarioInput): void;
  /** Changes a user as an admin edit would (stamps `updated_at`). */
  updateUser(id: number, change: Partial<Omit<SimUser, 'id'>>): void;
  /** Deletes a user (and their role assignments). */
  deleteUser(id: number): void;
  /** Calls and 429s by endpoint template, and the query strings of user-list calls. */
  calls(): {
    byEndpoint: Record<string, number>;
    throttled: Record<string, number>;
    userQueries: string[];
  };
  setFaults(rules: readonly FaultRule[]): void;
  clearFaults(): void;
  /** Makes list pages repeat a cursor, skip a page or come back empty (see `paging-faults.ts`). */
  setPagingFault(fault: PagingFault): void;
  clearPagingFault(): void;
  /** How many times a paging fault fired so far. */
  pagingFaultsFired(): number;
  setLatency(ms: number): void;
  /** Adds a credential, or changes its secret (the old one stops working). */
  setClientSecret(clientId: string, secret: string): void;
  /** Invalidates every token issued so far. */
  revokeTokens(): void;
  resetCounters(): void;
  close(): Promise<void>;
};
