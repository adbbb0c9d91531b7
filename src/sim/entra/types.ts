/**
 * Public types of the Entra ID simulator (token endpoint + Microsoft Graph v1.0): its options and
 * the handle returned by `createEntraSimulator`. The data types live in `model.ts` and are
 * re-exported here.
 *
 * @see /work/shared/reference/idp-apis.md §A, §B, §I
 */
import type { EntraDirectory } from './directory/directory.js';
import type {
  SimApp,
  EntraFaultRule,
  ThrottleOptions,
  PagingOptions,
  ResourceUnitStats,
} from './model.js';
import type { EntraScenario } from './scenario.js';

export type {
  SimUser,
  SimGroup,
  MemberType,
  SimAppRole,
  SimAppRoleAssignment,
  SimServicePrincipal,
  SimApp,
  EntraFaultRule,
  ThrottleOptions,
  PagingOptions,
  ResourceUnitStats,
} from './model.js';
import type { PagingFault } from '../shared/paging-faults.js';

/** Options of `createEntraSimulator`. */
export type EntraSimulatorOptions = {
  /** @defaultValue 0 (an ephemeral port) */
  port?: number | undefined;
  /** @defaultValue '127.0.0.1' */
  host?: string | undefined;
  /** Folder of the test CA (`ca.pem`, `ca-key.pem`). Default: the folder of
   * `NODE_EXTRA_CA_CERTS` when it holds `ca-key.pem`, else `.test-ca` in the working directory. */
  tlsDir?: string | undefined;
  /** @defaultValue a GUID drawn from the seed */
  tenantId?: string | undefined;
  /** Verified domain accepted as tenant in the authority. @defaultValue 'contoso.onmicrosoft.com' */
  tenantDomain?: string | undefined;
  /** Registered apps; default: one app with a generated client id and secret. */
  apps?: readonly SimApp[] | undefined;
  /**
   * Origin put in OIDC metadata (`https://login.microsoftonline.com` to test a host-rewriting
   * network client). @defaultValue the simulator's own origin
   */
  publicLoginOrigin?: string | undefined;
  /** Origin put in `@odata.nextLink`/`deltaLink`. @defaultValue the simulator's own origin */
  publicGraphOrigin?: string | undefined;
  /** Lifetime of issued access tokens. @defaultValue 3599 */
  tokenLifetimeSeconds?: number | undefined;
  /** Initial directory content. */
  scenario?: EntraScenario | undefined;
  /** Serve the unauthenticated `/__sim/*` control routes. @defaultValue false */
  control?: boolean | undefined;
  /** Fixed delay added to every API call. @defaultValue 0 */
  latencyMs?: number | undefined;
  faults?: readonly EntraFaultRule[] | undefined;
  throttle?: ThrottleOptions | undefined;
  paging?: PagingOptions | undefined;
  /** Seed of the PRNG behind ids and `EntraFaultRule.probability`. @defaultValue 1 */
  seed?: number | undefined;
  /** Initial clock (ms since epoch); default: real time. */
  now?: number | undefined;
};

/** A running simulator. */
export type EntraSimulator = {
  /** Origin, e.g. `https://127.0.0.1:4100`. */
  readonly url: string;
  readonly port: number;
  readonly tenantId: string;
  /** The first app's client id and secret. */
  readonly clientId: string;
  readonly clientSecret: string;
  /** Authority for MSAL: `${url}/${tenantId}`. */
  readonly authority: string;
  /** Absolute path of the CA certificate to trust (`NODE_EXTRA_CA_CERTS`). */
  readonly caPath: string;
  /** The directory and its mutation API; mutations feed the delta change log. */
  readonly directory: EntraDirectory;
  close(): Promise<void>;
  setFaults(rules: readonly EntraFaultRule[]): void;
  clearFaults(): void;
  /** Makes list pages repeat a cursor, skip a page or come back empty (see `paging-faults.ts`). */
  setPagingFault(fault: PagingFault): void;
  clearPagingFault(): void;
  /** How many times a paging fault fired so far. */
  pagingFaultsFired(): number;
  setLatency(ms: number): void;
  setThrottle(options: ThrottleOptions): void;
  /** Registers another app (or replaces one with the same client id). */
  registerApp(app: SimApp): void;
  /** Calls by endpoint template (`"GET /v1.0/users"`), inner `$batch` requests included. */
  calls(): Record<string, number>;
  resourceUnits(): ResourceUnitStats;
  /** Graph requests by `x-ms-throttle-priority` value (`normal` when absent). */
  priorities(): Record<string, number>;
  resetCounters(): void;
  /** Empties the directory (older delta tokens then answer 410), counters and fault rules. */
  reset(): void;
  /** Freezes the clock at `ms` (epoch) or a Date; `undefined` returns to real time. */
  setNow(now: number | Date | undefined): void;
  /** The simulator's current time (ms). */
  now(): number;
};
