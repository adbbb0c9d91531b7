/**
 * The Okta management API simulator: a real HTTP server over an in-memory org, with Okta's paging,
 * error bodies, per-bucket rate limits, SSWS and OAuth (private_key_jwt) authentication, and
 * latency, fault and scenario knobs for tests and benchmarks. The real `@okta/okta-sdk-nodejs`
 * talks to it with `orgUrl: sim.url`.
 *
 * @example
 * ```ts
 * const sim = await createOktaSimulator({ apiTokens: ['00token'], scenario: { users: [...] } });
 * const client = new Client({ orgUrl: sim.url, token: '00token', cacheMiddleware: null });
 * await sim.close();
 * ```
 */
import { createServer } from 'node:http';

import { readBody } from '../shared/http-io.js';
import { closeOnce, createKnobs, knobControls } from '../shared/knobs.js';
import { listen } from '../shared/listen.js';
import { createTally } from '../shared/tally.js';
import type { Credentials } from './auth.js';
import { handleControl } from './control.js';
import { createDirectory } from './directory.js';
import { dispatch, type DispatchDeps } from './dispatch.js';
import { createPrng, faultAnswer } from './faults.js';
import { oktaPaging } from './paging.js';
import { MAX_BODY_BYTES, sendResponse } from './http-io.js';
import { createRateLimiter } from './rate-limits.js';
import { endpointTemplate } from './router.js';
import { appRoutes } from './routes/apps.js';
import { groupRoutes } from './routes/groups.js';
import { userRoutes } from './routes/users.js';
import { loadScenario, type ScenarioInput } from './scenario.js';
import type { OktaSimulator } from './simulator.js';
import type { OktaSimulatorOptions, SimOAuthClient } from './types.js';

const routes = [...userRoutes, ...groupRoutes, ...appRoutes];

/** Starts a simulator (optionally seeded with a scenario) and resolves once it listens. */
export async function createOktaSimulator(
  options: OktaSimulatorOptions & { scenario?: ScenarioInput | undefined } = {},
): Promise<OktaSimulator> {
  const now = options.now ?? Date.now;
  const random = createPrng(options.seed ?? 1);
  const directory = createDirectory(now, random);
  const clients: SimOAuthClient[] = [...(options.clients ?? [])];
  const credentials: Credentials = {
    apiTokens: new Set(options.apiTokens ?? []),
    accessTokens: new Map(),
  };
  const limiter = createRateLimiter(
    now,
    options.rateLimits ?? {},
    options.rateLimitWindowMs ?? 60_000,
  );
  const knobs = createKnobs({
    // A PRNG of its own, so fault decisions do not depend on how many ids were drawn.
    random: createPrng((options.seed ?? 1) + 1),
    latencyMs: options.latencyMs,
    faults: options.faults,
  });
  const byEndpoint = createTally();
  const throttled = createTally();
  const maxConcurrent = options.maxConcurrent ?? 75;
  let inFlight = 0;
  let requestCount = 0;
  let orgUrl = options.publicUrl ?? '';

  const load = (scenario: ScenarioInput): void => {
    loadScenario(directory, scenario, random);
    for (const token of scenario.apiTokens ?? []) {
      credentials.apiTokens.add(token);
    }
    for (const client of scenario.clients ?? []) {
      clients.push({
        scopes: ['okta.users.read', 'okta.groups.read', 'okta.apps.read'],
        ...client,
      });
    }
  };
  if (options.scenario !== undefined) {
    load(options.scenario);
  }
  const deps: DispatchDeps = {
    directory,
    routes,
    limiter,
    credentials,
    clients: () => clients,
    usedJtis: new Map(),
    get orgUrl() {
      return orgUrl;
    },
    tokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
    now,
    errorId: () => `oae${directory.newId('')}`,
  };
  const sim: OktaSimulator = {
    url: '',
    port: 0,
    directory,
    close: () => closeOnce(knobs, server),
    calls: () => ({ byEndpoint: byEndpoint.toRecord(), throttled: throttled.toRecord() }),
    ...knobControls(knobs),
    setApiTokens: tokens => {
      credentials.apiTokens = new Set(tokens);
    },
    resetCounters: () => {
      byEndpoint.clear();
      throttled.clear();
      knobs.faults.clear();
      limiter.reset();
    },
  };

  const server = createServer((req, res) => {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://simulator');
    requestCount += 1;
    const requestId = `sim${String(requestCount).padStart(24, '0')}`;
    const common = () => ({ nowMs: now(), requestId });
    inFlight += 1;
    res.on('close', () => (inFlight -= 1));
    const serve = async () => {
      const rawBody = await readBody(req, MAX_BODY_BYTES);
      if (url.pathname.startsWith('/__sim/')) {
        const answer = options.control
          ? handleControl(sim, load, method, url.pathname, rawBody)
          : { status: 404, body: { error: 'control routes are off' } };
        sendResponse(res, answer, common());
        return;
      }
      const endpoint = endpointTemplate(routes, method, url.pathname);
      byEndpoint.add(endpoint);
      const request = {
        method,
        url,
        authorization: req.headers.authorization,
        rawBody,
        overConcurrency: inFlight > maxConcurrent,
      };
      await knobs.delay();
      const fault = await knobs.fault(method, url.pathname);
      if (knobs.closed()) {
        res.destroy();
        return;
      }
      const answer =
        fault === undefined
          ? await knobs.paging.serve(method, url, oktaPaging(orgUrl), target =>
              dispatch(deps, { ...request, url: target }),
            )
          : faultAnswer(deps, fault, request);
      if (answer.status === 429) {
        throttled.add(endpoint);
      }
      sendResponse(res, answer, common());
    };
    serve().catch((error: unknown) => {
      sendResponse(res, { status: 500, body: { errorSummary: String(error) } }, common());
    });
  });
  const { port, urlHost } = await listen(server, options);
  orgUrl = options.publicUrl ?? `http://${urlHost}:${port}`;
  return Object.assign(sim, { url: orgUrl, port });
}
