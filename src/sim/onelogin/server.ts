/**
 * The OneLogin API simulator: a real HTTP server over an in-memory account, with the OAuth2
 * client-credentials token endpoint (`POST /auth/oauth2/v2/token`, HTTP Basic), API v2 users and
 * roles with cursor paging and `updated_since`, OneLogin's error envelopes, an hourly
 * account-wide call limit with `X-RateLimit-*` headers and 429s, and latency, fault and scenario
 * knobs.
 *
 * @example
 * ```ts
 * const sim = await createOneLoginSimulator({ clients: [{ id: 'c', secret: 's' }], scenario });
 * // ONELOGIN_BASE_URL=sim.url ONELOGIN_CLIENT_ID=c ONELOGIN_CLIENT_SECRET=s
 * await sim.close();
 * ```
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

import { badRequest, controlOk, knobRoutes, serveControl } from '../shared/control.js';
import { faultRuleSchema } from '../shared/fault-rule.js';
import { faultResponse } from '../shared/faults.js';
import { jsonOrEmpty, readBody, sendResponse, type SimResponse } from '../shared/http-io.js';
import { closeOnce, createKnobs, knobControls } from '../shared/knobs.js';
import { listen } from '../shared/listen.js';
import { createPrng } from '../shared/prng.js';
import { createTally } from '../shared/tally.js';
import {
  createAccount,
  loadScenario,
  scenarioSchema,
  updateUser,
  type ScenarioInput,
} from './account.js';
import { faultBody, v1Error, v2Error } from './errors.js';
import { routeTemplate, serveApi } from './routes.js';
import { oneloginPaging } from './paging-faults.js';
import type { OneLoginSimulator, OneLoginSimulatorOptions } from './types.js';

const maxBodyBytes = 64 * 1024;
const hourMs = 3_600_000;

/** Starts a simulator (optionally seeded) and resolves once it listens. */
export async function createOneLoginSimulator(
  options: OneLoginSimulatorOptions & { scenario?: ScenarioInput | undefined } = {},
): Promise<OneLoginSimulator> {
  const now = options.now ?? Date.now;
  const nowIso = () => new Date(now()).toISOString();
  const account = createAccount();
  const clients = new Map((options.clients ?? []).map(client => [client.id, client.secret]));
  const tokens = new Map<string, number>();
  const ttlMs = (options.tokenTtlSeconds ?? 36_000) * 1000;
  const limit = options.callsPerHour ?? 5_000;
  const knobs = createKnobs({
    random: createPrng(options.seed ?? 1).next,
    latencyMs: options.latencyMs,
    faults: options.faults,
  });
  const calls = createTally();
  const throttled = createTally();
  const userQueries: string[] = [];
  let window = { start: 0, used: 0 };
  const load = (scenario: ScenarioInput) => loadScenario(account, scenario, nowIso());
  if (options.scenario !== undefined) {
    load(options.scenario);
  }

  /** Counts one call against the account's hour; `reset` is seconds left, as OneLogin sends it. */
  const rateLimit = () => {
    const t = now();
    const start = Math.floor(t / hourMs) * hourMs;
    if (start !== window.start) {
      window = { start, used: 0 };
    }
    const ok = window.used < limit;
    if (ok) {
      window.used += 1;
    }
    return {
      ok,
      headers: {
        'x-ratelimit-limit': String(limit),
        'x-ratelimit-remaining': String(limit - window.used),
        'x-ratelimit-reset': String(Math.ceil((start + hourMs - t) / 1000)),
      },
    };
  };

  const token = (req: IncomingMessage, raw: Buffer): SimResponse => {
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const [id, secret] =
      basic === undefined ? [] : Buffer.from(basic, 'base64').toString('utf8').split(':');
    let grant: unknown;
    try {
      grant = (JSON.parse(raw.toString('utf8')) as { grant_type?: unknown }).grant_type;
    } catch {
      grant = undefined;
    }
    if (grant !== 'client_credentials') {
      return v1Error(400, 'grant_type is incorrect/absent');
    }
    if (id === undefined || clients.get(id) === undefined || clients.get(id) !== secret) {
      return v1Error(401, 'Authentication Failure');
    }
    const accessToken = randomBytes(32).toString('hex');
    tokens.set(accessToken, now() + ttlMs);
    return {
      status: 200,
      body: {
        access_token: accessToken,
        created_at: nowIso(),
        expires_in: ttlMs / 1000,
        refresh_token: randomBytes(32).toString('hex'),
        token_type: 'bearer',
        account_id: 123456,
      },
    };
  };

  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://simulator');
    const raw = await readBody(req, maxBodyBytes);
    const send = (response: SimResponse) =>
      sendResponse(res, response, jsonOrEmpty, { date: new Date(now()).toUTCString() });
    if (url.pathname.startsWith('/__sim/')) {
      send(
        serveControl(
          controlRoutes,
          { method, path: url.pathname, text: raw.toString('utf8') },
          () => v2Error(404, 'unknown control route'),
        ),
      );
      return;
    }
    const template = routeTemplate(method, url.pathname);
    calls.add(template);
    if (template === 'GET /api/2/users') {
      userQueries.push(url.search);
    }
    await knobs.delay();
    const fault = await knobs.fault(method, url.pathname);
    if (knobs.closed()) {
      res.destroy();
      return;
    }
    const limited = rateLimit();
    if (fault !== undefined) {
      if (fault.status === 429) {
        throttled.add(template);
      }
      send(faultResponse(fault, { body: faultBody, headers: () => limited.headers }));
      return;
    }
    if (!limited.ok) {
      throttled.add(template);
      send({ ...v2Error(429, 'Rate limit exceeded'), headers: limited.headers });
      return;
    }
    if (method === 'POST' && url.pathname === '/auth/oauth2/v2/token') {
      send({ ...token(req, raw), headers: limited.headers });
      return;
    }
    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const expiresAt = bearer === undefined ? undefined : tokens.get(bearer);
    if (expiresAt === undefined || expiresAt <= now()) {
      send({ ...v2Error(401, 'Authentication Failure'), headers: limited.headers });
      return;
    }
    const answer = await knobs.paging.serve(method, url, oneloginPaging, target =>
      serveApi(account, method, target.pathname, target.searchParams),
    );
    send({ ...answer, headers: { ...limited.headers, ...answer.headers } });
  };

  const sim: OneLoginSimulator = {
    url: '',
    port: 0,
    account,
    load,
    updateUser: (id, change) => updateUser(account, id, change, nowIso()),
    deleteUser: id => {
      account.users.delete(id);
      for (const role of account.roles.values()) {
        role.members.delete(id);
      }
    },
    calls: () => ({
      byEndpoint: calls.toRecord(),
      throttled: throttled.toRecord(),
      userQueries: [...userQueries],
    }),
    ...knobControls(knobs),
    setClientSecret: (id, secret) => {
      clients.set(id, secret);
    },
    revokeTokens: () => tokens.clear(),
    resetCounters: () => {
      calls.clear();
      throttled.clear();
      userQueries.length = 0;
      knobs.faults.clear();
      window = { start: 0, used: 0 };
    },
    close: () => closeOnce(knobs, server),
  };
  const controlRoutes = {
    ...knobRoutes(sim, faultRuleSchema),
    'GET /__sim/calls': () => controlOk(sim.calls()),
    'GET /__sim/state': () =>
      controlOk({
        users: account.users.size,
        roles: [...account.roles.values()].map(role => ({
          id: role.id,
          name: role.name,
          members: role.members.size,
        })),
      }),
    'POST /__sim/scenario': (body: unknown) => {
      const parsed = scenarioSchema.safeParse(body);
      if (!parsed.success) {
        return badRequest(parsed.error.issues);
      }
      try {
        load(parsed.data);
      } catch (error) {
        return badRequest(String(error));
      }
      return controlOk({ users: account.users.size, roles: account.roles.size });
    },
  };

  const server = createServer((req, res) => {
    serve(req, res).catch((error: unknown) =>
      sendResponse(res, v2Error(500, String(error)), jsonOrEmpty),
    );
  });
  const bound = await listen(server, { port: options.port, host: options.host });
  return Object.assign(sim, { url: `http://${bound.urlHost}:${bound.port}`, port: bound.port });
}
