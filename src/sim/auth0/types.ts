/**
 * Options and handle of the Auth0 simulator.
 */
import type { FaultRule } from '../shared/fault-rule.js';
import type { ScenarioInput, Tenant } from './tenant.js';
import type { PagingFault } from '../shared/paging-faults.js';

export type { FaultRule } from '../shared/fault-rule.js';

/** How a simulator starts. */
export type Auth0SimulatorOptions = {
  port?: number | undefined;
  host?: string | undefined;
  /** The URL put into export `location`s. @defaultValue the listen address */
  publicUrl?: string | undefined;
  /** The tenant domain the token `audience` must name. @defaultValue example.auth0.com */
  domain?: string | undefined;
  /** Machine-to-machine applications allowed to get a token. */
  clients?: readonly { id: string; secret: string }[] | undefined;
  /** The tenant's Management API bucket. @defaultValue 1000 calls per 1000 ms */
  rateLimit?: { limit: number; windowMs: number } | undefined;
  /** Polls an export job answers `processing` before `completed`. @defaultValue 1 */
  exportPolls?: number | undefined;
  latencyMs?: number | undefined;
  faults?: readonly FaultRule[] | undefined;
  seed?: number | undefined;
  /** The simulator's clock (rate-limit windows, timestamps). @defaultValue Date.now */
  now?: (() => number) | undefined;
};

/** A running simulator. */
export type Auth0Simulator = {
  /** Base URL, e.g. `http://127.0.0.1:4300` (the source's `AUTH0_BASE_URL`). */
  readonly url: string;
  readonly port: number;
  /** The domain clients must use (`AUTH0_DOMAIN`): the token audience names it. */
  readonly domain: string;
  /** The live tenant; mutate it between reads. */
  readonly tenant: Tenant;
  /** Adds a scenario to the tenant. */
  load(scenario: ScenarioInput): void;
  /** Calls and 429s by endpoint template. */
  calls(): { byEndpoint: Record<string, number>; throttled: Record<string, number> };
  setFaults(rules: readonly FaultRule[]): void;
  clearFaults(): void;
  /** Makes list pages repeat a cursor, skip a page or come back empty (see `paging-faults.ts`). */
  setPagingFault(fault: PagingFault): void;
  clearPagingFault(): void;
  /** How many times a paging fault fired so far. */
  pagingFaultsFired(): number;
  setLatency(ms: number): void;
  /** Adds an application, or changes its secret (the old one stops working). */
  setClientSecret(clientId: string, secret: string): void;
  /** Invalidates every token issued so far. */
  revokeTokens(): void;
  /** Empties call counters, fault rules and the rate-limit window (not the tenant). */
  resetCounters(): void;
  close(): Promise<void>;
};
