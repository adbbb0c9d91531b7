/**
 * One simulator per IdP seeded with the same directory, and a source built against it, for the
 * reliability suite: every rig knows the path prefix of its vendor's directory API (where fault
 * rules aim), builds sources with short timeouts and instant waits, and stores source state in
 * the store it is given, as the CLI does.
 */
import type { Source } from '../../src/sources/types.js';
import type { Store } from '../../src/store/types.js';
import type { FaultRule } from '../../src/sim/shared/fault-rule.js';
import type { PagingFault } from '../../src/sim/shared/paging-faults.js';
import { silentLogger, type Logger } from '../../src/log.js';
import { contractDirectory, contractFixture } from '../contract/source.contract.js';
import {
  auth0SourceFor,
  clientSecret as auth0Secret,
  contractScenario as auth0Scenario,
  startAuth0,
} from '../integration/auth0/setup.js';
import {
  contractScenario as entraScenario,
  entraSourceFor,
  startEntra,
} from '../integration/entra/setup.js';
import {
  contractScenario as googleScenario,
  googleSourceFor,
  serviceAccountJson,
  startGoogle,
} from '../integration/google/setup.js';
import {
  clientSecret as keycloakSecret,
  contractScenario as keycloakScenario,
  keycloakSourceFor,
  startKeycloak,
} from '../integration/keycloak/setup.js';
import {
  apiToken,
  contractScenario as oktaScenario,
  oktaSourceFor,
  startOkta,
} from '../integration/okta/setup.js';
import {
  clientSecret as oneloginSecret,
  contractAccount,
  oneloginSourceFor,
  startOneLogin,
} from '../integration/onelogin/setup.js';

/** The IdP sources that talk HTTP to a simulator. */
export type RigName = 'okta' | 'entra' | 'google' | 'keycloak' | 'auth0' | 'onelogin';

/** Every rig, in the order the fault matrix runs them. */
export const rigNames: readonly RigName[] = [
  'entra',
  'okta',
  'google',
  'keycloak',
  'auth0',
  'onelogin',
];

/** Page size of the Keycloak rig's source. */
export const keycloakRigPageSize = 2;

/** Timeout of one IdP exchange in rig sources; a `hangMs` above it is a timeout. */
export const rigTimeoutMs = 250;

/** A running IdP simulator with what the reliability tests need of it. */
export type SourceRig = {
  readonly name: RigName;
  /** Path prefix (ending in `*`) of the directory API, where read faults are aimed. */
  readonly apiPath: string;
  /**
   * Whether the source calls through the `fetch` it is given (Keycloak's admin SDK calls the
   * global one), so a counting fetch sees its faults.
   */
  readonly usesInjectedFetch: boolean;
  /** The secrets this rig's source authenticates with. */
  readonly secrets: readonly string[];
  /** Sets fault rules; a rig may add vendor headers to them (see Okta's). */
  setFaults(rules: readonly FaultRule[]): void;
  clearFaults(): void;
  /** Sets the simulator's paging fault (see `src/sim/shared/paging-faults.ts`). */
  setPagingFault(fault: PagingFault): void;
  clearPagingFault(): void;
  /** How many times the paging fault fired so far. */
  pagingFaultsFired(): number;
  /**
   * A fresh source whose state lives in `store`, calling through `doFetch` (default: `fetch`)
   * and logging to `logger` (default: silent).
   */
  source(store: Store, doFetch?: typeof fetch, logger?: Logger): Source;
  close(): Promise<void>;
};

const instant = () => Promise.resolve();
const oktaQuickReset = {
  'x-rate-limit-limit': '600',
  'x-rate-limit-remaining': '599',
  'x-rate-limit-reset': '1',
};
const deps = (
  store: Store,
  name: string,
  doFetch: typeof fetch = fetch,
  logger: Logger = silentLogger(),
) => ({
  state: store.sourceState(name),
  logger,
  fetch: doFetch,
});

/** The fault knobs and shutdown every simulator offers, as a rig forwards them. */
type SimControls = Pick<
  SourceRig,
  | 'setFaults'
  | 'clearFaults'
  | 'setPagingFault'
  | 'clearPagingFault'
  | 'pagingFaultsFired'
  | 'close'
>;

/** Forwards a simulator's knobs (a rig spreads this first and overrides what it adapts). */
function simControls(sim: SimControls): SimControls {
  return {
    setFaults: rules => sim.setFaults(rules),
    clearFaults: () => sim.clearFaults(),
    setPagingFault: fault => sim.setPagingFault(fault),
    clearPagingFault: () => sim.clearPagingFault(),
    pagingFaultsFired: () => sim.pagingFaultsFired(),
    close: () => sim.close(),
  };
}

/** Starts the simulator of `name` seeded with the contract directory. */
export async function startRig(name: RigName): Promise<SourceRig> {
  switch (name) {
    case 'okta': {
      const sim = await startOkta(oktaScenario(contractDirectory));
      return {
        name,
        usesInjectedFetch: true,
        apiPath: '/api/v1/*',
        secrets: [apiToken],
        ...simControls(sim),
        // Okta's source waits for the bucket's `X-Rate-Limit-Reset` (real server time) after a
        // 429; a reset long past keeps a storm from waiting out the simulator's 60 s window.
        setFaults: r =>
          sim.setFaults(
            r.map(rule => ({ ...rule, headers: { ...oktaQuickReset, ...rule.headers } })),
          ),
        source: (store, f, logger) =>
          oktaSourceFor(sim, { requestTimeoutMs: rigTimeoutMs }, deps(store, name, f, logger), {
            sleep: instant,
          }),
      };
    }
    case 'entra': {
      const sim = await startEntra(entraScenario(contractDirectory));
      return {
        name,
        usesInjectedFetch: true,
        apiPath: '/v1.0/*',
        secrets: [sim.clientSecret],
        ...simControls(sim),
        source: (store, f, logger) =>
          entraSourceFor(sim, {}, deps(store, name, f, logger), {
            timeoutMs: rigTimeoutMs,
            sleep: instant,
            retryPolicy: { maxAttempts: 10, baseMs: 1, maxMs: 10 },
          }),
      };
    }
    case 'google': {
      const sim = await startGoogle(googleScenario(contractDirectory));
      const key = (JSON.parse(serviceAccountJson) as { private_key: string }).private_key;
      return {
        name,
        usesInjectedFetch: true,
        apiPath: '/admin/directory/v1/*',
        secrets: [key],
        ...simControls(sim),
        source: (store, f, logger) =>
          googleSourceFor(sim, { requestTimeoutMs: rigTimeoutMs }, deps(store, name, f, logger)),
      };
    }
    case 'keycloak': {
      const sim = await startKeycloak(keycloakScenario(contractDirectory));
      return {
        name,
        usesInjectedFetch: false,
        apiPath: '/admin/realms/*',
        secrets: [keycloakSecret],
        ...simControls(sim),
        source: (store, f, logger) =>
          keycloakSourceFor(
            sim,
            // Pages of two, so a small realm's lists span pages and paging faults have pages
            // to act on (Keycloak's offset paging is driven by the client's page size).
            { requestTimeoutMs: rigTimeoutMs, pageSize: keycloakRigPageSize },
            deps(store, name, f, logger),
          ),
      };
    }
    case 'auth0': {
      const sim = await startAuth0(auth0Scenario(contractDirectory));
      return {
        name,
        usesInjectedFetch: true,
        apiPath: '/api/v2/*',
        secrets: [auth0Secret],
        ...simControls(sim),
        source: (store, f, logger) =>
          auth0SourceFor(sim, { requestTimeoutMs: rigTimeoutMs }, deps(store, name, f, logger)),
      };
    }
    case 'onelogin': {
      const sim = await startOneLogin(contractAccount(contractFixture).scenario);
      return {
        name,
        usesInjectedFetch: true,
        apiPath: '/api/2/*',
        secrets: [oneloginSecret],
        ...simControls(sim),
        source: (store, f, logger) =>
          oneloginSourceFor(sim, { requestTimeoutMs: rigTimeoutMs }, deps(store, name, f, logger)),
      };
    }
  }
}
