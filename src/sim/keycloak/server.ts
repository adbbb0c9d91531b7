/**
 * The Keycloak admin REST simulator: a real HTTP server over one in-memory realm, with the
 * realm's client-credentials token endpoint issuing JWT-shaped tokens, the admin endpoints the
 * source reads (trailing slashes accepted, `first`/`max` paging), 401 for missing, foreign or
 * expired tokens, and the shared fault and latency knobs. The real
 * `@keycloak/keycloak-admin-client` talks to it with `baseUrl: sim.url`.
 *
 * @example
 * ```ts
 * const sim = await createKeycloakSimulator({ scenario: { realm: 'acme', clients: [{ clientId, secret }] } });
 * await sim.close();
 * ```
 */
import { createServer } from 'node:http';

import { controlOk, knobRoutes, serveControl, type ControlRoutes } from '../shared/control.js';
import { faultRuleSchema, type FaultRule } from '../shared/fault-rule.js';
import { faultResponse } from '../shared/faults.js';
import { jsonOrEmpty, readBody, sendResponse, type SimResponse } from '../shared/http-io.js';
import { closeOnce, createKnobs, knobControls } from '../shared/knobs.js';
import { listen } from '../shared/listen.js';
import { createPrng } from '../shared/prng.js';
import { createTally } from '../shared/tally.js';
import { createKeycloakRealm, type KeycloakRealm, type KeycloakScenario } from './directory.js';
import { endpointOf, serveAdmin } from './routes.js';
import { createTokenSigner, serveToken } from './token.js';
import { keycloakPaging } from './paging-faults.js';
import type { PagingFault } from '../shared/paging-faults.js';

/** How the simulator starts. */
export type KeycloakSimulatorOptions = {
  port?: number | undefined;
  host?: string | undefined;
  scenario?: KeycloakScenario | undefined;
  /** Access-token lifespan. @defaultValue 300 (Keycloak's default) */
  tokenTtlSeconds?: number | undefined;
  latencyMs?: number | undefined;
  seed?: number | undefined;
  faults?: readonly FaultRule[] | undefined;
  now?: (() => number) | undefined;
  /** Serve the `/__sim/*` control routes. */
  control?: boolean | undefined;
};

/** A running simulator. */
export type KeycloakSimulator = {
  /** The server URL (the admin client's `baseUrl`), e.g. `http://127.0.0.1:4400`. */
  readonly url: string;
  readonly port: number;
  readonly realm: KeycloakRealm;
  close(): Promise<void>;
  /** Calls by endpoint (`GET /users`, `POST /token`, …). */
  calls(): Record<string, number>;
  setFaults(rules: readonly FaultRule[]): void;
  clearFaults(): void;
  /** Makes list pages repeat a cursor, skip a page or come back empty (see `paging-faults.ts`). */
  setPagingFault(fault: PagingFault): void;
  clearPagingFault(): void;
  /** How many times a paging fault fired so far. */
  pagingFaultsFired(): number;
  setLatency(ms: number): void;
  setTokenTtlSeconds(seconds: number): void;
  /** Makes every token issued so far invalid (as a restart with new keys would). */
  revokeTokens(): void;
  resetCounters(): void;
};

/** Starts a simulator and resolves once it listens. */
export async function createKeycloakSimulator(
  options: KeycloakSimulatorOptions = {},
): Promise<KeycloakSimulator> {
  const now = options.now ?? Date.now;
  const realm = createKeycloakRealm();
  if (options.scenario !== undefined) {
    realm.load(options.scenario);
  }
  const knobs = createKnobs<FaultRule>({
    random: createPrng(options.seed ?? 1).next,
    latencyMs: options.latencyMs,
    faults: options.faults,
  });
  const calls = createTally();
  let signer = createTokenSigner();
  let ttlSeconds = options.tokenTtlSeconds ?? 300;
  let url = '';

  const sim: KeycloakSimulator = {
    url: '',
    port: 0,
    realm,
    close: () => closeOnce(knobs, server),
    calls: () => calls.toRecord(),
    ...knobControls(knobs),
    setTokenTtlSeconds: seconds => {
      ttlSeconds = seconds;
    },
    revokeTokens: () => {
      signer = createTokenSigner();
    },
    resetCounters: () => {
      calls.clear();
      knobs.faults.clear();
    },
  };

  const controlRoutes: ControlRoutes = {
    ...knobRoutes(sim, faultRuleSchema),
    'POST /__sim/scenario': body => {
      realm.load(body ?? {});
      return controlOk({ users: realm.users.size, groups: realm.groups.size });
    },
    'GET /__sim/calls': () => controlOk(sim.calls()),
  };

  const handle = async (
    method: string,
    target: URL,
    text: string,
    authorization: string | undefined,
  ): Promise<SimResponse> => {
    // Trailing slashes are accepted everywhere (`/users/` is what the admin client sends).
    const path = target.pathname.length > 1 ? target.pathname.replace(/\/+$/, '') : target.pathname;
    if (path.startsWith('/__sim/')) {
      return options.control === true
        ? serveControl(controlRoutes, { method, path, text }, route => ({
            status: 404,
            body: { error: `no control route ${route}` },
          }))
        : { status: 404, body: { error: 'control routes are off' } };
    }
    const tokenPath = `/realms/${realm.name}/protocol/openid-connect/token`;
    const adminPrefix = `/admin/realms/${realm.name}`;
    const endpoint =
      path === tokenPath
        ? `${method} /token`
        : path.startsWith(adminPrefix)
          ? endpointOf(method, path.slice(adminPrefix.length))
          : `${method} ${path}`;
    calls.add(endpoint);
    await knobs.delay();
    const fault = await knobs.fault(method, path);
    if (fault !== undefined) {
      // The shared answer, so `reset` and `truncate` rules work here too.
      return faultResponse(fault, { body: status => ({ error: `HTTP ${status}` }) });
    }
    if (path === tokenPath && method === 'POST') {
      return serveToken(
        {
          realm,
          signer,
          issuer: () => `${url}/realms/${realm.name}`,
          ttlSeconds: () => ttlSeconds,
          now,
        },
        new URLSearchParams(text),
        authorization,
      );
    }
    if (!path.startsWith(`${adminPrefix}/`)) {
      return { status: 404, body: { error: 'Realm does not exist' } };
    }
    const bearer = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1];
    const claims = bearer === undefined ? undefined : signer.verify(bearer);
    if (claims === undefined || typeof claims.exp !== 'number' || claims.exp * 1000 <= now()) {
      return { status: 401, body: { error: 'HTTP 401 Unauthorized' } };
    }
    return knobs.paging.serve(method, target, keycloakPaging, url =>
      serveAdmin(realm, method, path.slice(adminPrefix.length), url.searchParams),
    );
  };

  const server = createServer((req, res) => {
    const method = (req.method ?? 'GET').toUpperCase();
    const target = new URL(req.url ?? '/', 'http://simulator');
    const serve = async () => {
      const text = (await readBody(req, 1_000_000)).toString('utf8');
      const answer = await handle(method, target, text, req.headers.authorization);
      if (knobs.closed()) {
        res.destroy();
        return;
      }
      sendResponse(res, answer, jsonOrEmpty);
    };
    serve().catch((error: unknown) => {
      sendResponse(res, { status: 500, body: { error: String(error) } }, jsonOrEmpty);
    });
  });
  const bound = await listen(server, { port: options.port, host: options.host });
  url = `http://${bound.urlHost}:${bound.port}`;
  return Object.assign(sim, { url, port: bound.port });
}
