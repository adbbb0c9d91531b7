/**
 * The Google Workspace Directory API simulator: a real HTTP server over an in-memory directory,
 * with the service-account token endpoint (JWT bearer assertion verified), paged users, groups
 * and members, Google's error shape, a per-minute query quota answered with
 * `403 userRateLimitExceeded`, and the shared fault and latency knobs. The real
 * `@googleapis/admin` talks to it with `rootUrl: sim.url`, and the token request reaches
 * `sim.tokenUrl` through the transport's `fetchImplementation`.
 *
 * @example
 * ```ts
 * const sim = await createGoogleSimulator({ serviceAccounts: [{ clientEmail, publicKey }], scenario });
 * // GOOGLE_API_BASE_URL=sim.url, GOOGLE_TOKEN_URL=sim.tokenUrl
 * await sim.close();
 * ```
 */
import { createServer } from 'node:http';

import { controlOk, knobRoutes, serveControl, type ControlRoutes } from '../shared/control.js';
import { faultRuleSchema, type FaultRule } from '../shared/fault-rule.js';
import { faultResponse } from '../shared/faults.js';
import { readBody, sendResponse, textOrJson, type SimResponse } from '../shared/http-io.js';
import { closeOnce, createKnobs, knobControls } from '../shared/knobs.js';
import { listen } from '../shared/listen.js';
import { createPrng } from '../shared/prng.js';
import { createTally } from '../shared/tally.js';
import { createGoogleDirectory, type GoogleDirectory, type GoogleScenario } from './directory.js';
import { defaultFaultError, googleError } from './errors.js';
import { googlePaging } from './paging-faults.js';
import { directoryPrefix, endpointOf, serveDirectory } from './routes.js';
import { serveToken, type IssuedToken, type SimServiceAccount } from './token.js';
import type { PagingFault } from '../shared/paging-faults.js';

/** Google's real token URL: `gtoken` puts it in the assertion's `aud`, so it is accepted. */
const googleTokenAudience = 'https://oauth2.googleapis.com/token';

/** How the simulator starts. */
export type GoogleSimulatorOptions = {
  port?: number | undefined;
  host?: string | undefined;
  scenario?: GoogleScenario | undefined;
  serviceAccounts?: readonly SimServiceAccount[] | undefined;
  /** Admin e-mails that may be impersonated; any when empty. */
  admins?: readonly string[] | undefined;
  /** Directory API queries allowed per rolling minute (per admin). @defaultValue 2400 */
  queriesPerMinute?: number | undefined;
  tokenTtlSeconds?: number | undefined;
  latencyMs?: number | undefined;
  seed?: number | undefined;
  faults?: readonly FaultRule[] | undefined;
  now?: (() => number) | undefined;
  /** Serve the `/__sim/*` control routes. */
  control?: boolean | undefined;
};

/** Calls by endpoint and quota refusals by endpoint. */
export type GoogleSimCalls = {
  readonly byEndpoint: Record<string, number>;
  readonly throttled: Record<string, number>;
};

/** A running simulator. */
export type GoogleSimulator = {
  /** Base URL (the SDK's `rootUrl`), e.g. `http://127.0.0.1:4300`. */
  readonly url: string;
  /** The token endpoint, `${url}/token`. */
  readonly tokenUrl: string;
  readonly port: number;
  readonly directory: GoogleDirectory;
  close(): Promise<void>;
  calls(): GoogleSimCalls;
  setFaults(rules: readonly FaultRule[]): void;
  clearFaults(): void;
  /** Makes list pages repeat a cursor, skip a page or come back empty (see `paging-faults.ts`). */
  setPagingFault(fault: PagingFault): void;
  clearPagingFault(): void;
  /** How many times a paging fault fired so far. */
  pagingFaultsFired(): number;
  setLatency(ms: number): void;
  setQueriesPerMinute(limit: number): void;
  /** Forgets every issued access token (the next call answers 401). */
  revokeTokens(): void;
  resetCounters(): void;
};

/** Starts a simulator and resolves once it listens. */
export async function createGoogleSimulator(
  options: GoogleSimulatorOptions = {},
): Promise<GoogleSimulator> {
  const now = options.now ?? Date.now;
  const directory = createGoogleDirectory();
  if (options.scenario !== undefined) {
    directory.load(options.scenario);
  }
  const knobs = createKnobs<FaultRule>({
    random: createPrng(options.seed ?? 1).next,
    latencyMs: options.latencyMs,
    faults: options.faults,
  });
  const tokens = new Map<string, IssuedToken>();
  const admins = new Set((options.admins ?? []).map(admin => admin.toLowerCase()));
  const byEndpoint = createTally();
  const throttled = createTally();
  const recent = new Map<string, number[]>();
  let queriesPerMinute = options.queriesPerMinute ?? 2400;
  let url = '';

  const tokenDeps = {
    accounts: () => options.serviceAccounts ?? [],
    admins: () => admins,
    audiences: () => [googleTokenAudience, `${url}/token`],
    tokens,
    ttlSeconds: options.tokenTtlSeconds ?? 3600,
    now,
  };

  /** A rolling one-minute window per impersonated admin ("per user per project"). */
  const overQuota = (subject: string): boolean => {
    const times = (recent.get(subject) ?? []).filter(at => at > now() - 60_000);
    recent.set(subject, times);
    if (times.length >= queriesPerMinute) {
      return true;
    }
    times.push(now());
    return false;
  };

  const sim: GoogleSimulator = {
    url: '',
    tokenUrl: '',
    port: 0,
    directory,
    close: () => closeOnce(knobs, server),
    calls: () => ({ byEndpoint: byEndpoint.toRecord(), throttled: throttled.toRecord() }),
    ...knobControls(knobs),
    setQueriesPerMinute: limit => {
      queriesPerMinute = limit;
    },
    revokeTokens: () => tokens.clear(),
    resetCounters: () => {
      byEndpoint.clear();
      throttled.clear();
      recent.clear();
      knobs.faults.clear();
    },
  };

  const controlRoutes: ControlRoutes = {
    ...knobRoutes(sim, faultRuleSchema),
    'POST /__sim/scenario': body => {
      directory.load(body ?? {});
      return controlOk({ users: directory.users.size, groups: directory.groups.size });
    },
    'GET /__sim/calls': () => controlOk(sim.calls()),
  };

  const handle = async (
    method: string,
    target: URL,
    text: string,
    auth: string | undefined,
  ): Promise<SimResponse> => {
    const path = target.pathname;
    if (path.startsWith('/__sim/')) {
      return options.control === true
        ? serveControl(controlRoutes, { method, path, text }, route => ({
            status: 404,
            body: { error: `no control route ${route}` },
          }))
        : { status: 404, body: { error: 'control routes are off' } };
    }
    const endpoint =
      path === '/token'
        ? `${method} /token`
        : endpointOf(method, path.slice(directoryPrefix.length));
    byEndpoint.add(endpoint);
    await knobs.delay();
    const fault = await knobs.fault(method, path);
    if (fault !== undefined) {
      // The shared answer, so `reset` and `truncate` rules work here too.
      const fallback = defaultFaultError(fault.status);
      return faultResponse(fault, {
        body: () => fallback.body,
        headers: () => fallback.headers ?? {},
      });
    }
    if (path === '/token' && method === 'POST') {
      return serveToken(tokenDeps, new URLSearchParams(text));
    }
    if (!path.startsWith(`${directoryPrefix}/`)) {
      return googleError(404, 'Not Found', 'notFound');
    }
    const bearer = /^Bearer (.+)$/i.exec(auth ?? '')?.[1];
    const token = bearer === undefined ? undefined : tokens.get(bearer);
    if (token === undefined || token.expiresAtMs <= now()) {
      return googleError(
        401,
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
        'authError',
      );
    }
    if (overQuota(token.subject)) {
      throttled.add(endpoint);
      return googleError(
        403,
        "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user' of service 'admin.googleapis.com'",
        'userRateLimitExceeded',
        'usageLimits',
      );
    }
    return knobs.paging.serve(method, target, googlePaging, url =>
      serveDirectory(directory, {
        method,
        path: url.pathname.slice(directoryPrefix.length),
        query: url.searchParams,
        scopes: token.scopes,
      }),
    );
  };

  const encode = textOrJson('application/json; charset=UTF-8');
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
      sendResponse(res, answer, encode, { date: new Date(now()).toUTCString() });
    };
    serve().catch((error: unknown) => {
      sendResponse(res, googleError(500, String(error), 'backendError'), encode);
    });
  });
  const bound = await listen(server, { port: options.port, host: options.host });
  url = `http://${bound.urlHost}:${bound.port}`;
  return Object.assign(sim, { url, tokenUrl: `${url}/token`, port: bound.port });
}
