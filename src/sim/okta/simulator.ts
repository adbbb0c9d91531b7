/**
 * The handle of a running Okta simulator, as `createOktaSimulator` returns it.
 */
import type { Directory } from './directory.js';
import type { FaultRule, SimCalls } from './types.js';
import type { PagingFault } from '../shared/paging-faults.js';

/** A running simulator. */
export type OktaSimulator = {
  /** Base URL, e.g. `http://127.0.0.1:4200` (the org URL clients use). */
  readonly url: string;
  readonly port: number;
  /** The live directory; mutate it between syncs (changes carry Okta's timestamps). */
  readonly directory: Directory;
  close(): Promise<void>;
  calls(): SimCalls;
  setFaults(rules: readonly FaultRule[]): void;
  clearFaults(): void;
  /** Makes list pages repeat a cursor, skip a page or come back empty (see `paging-faults.ts`). */
  setPagingFault(fault: PagingFault): void;
  clearPagingFault(): void;
  /** How many times a paging fault fired so far. */
  pagingFaultsFired(): number;
  setLatency(ms: number): void;
  /** Replaces accepted API tokens (e.g. to revoke one). */
  setApiTokens(tokens: readonly string[]): void;
  /** Empties the call counters, fault rules and rate-limit windows (not the directory). */
  resetCounters(): void;
};
