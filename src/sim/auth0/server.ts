/**
 * The Auth0 Management API simulator: a real HTTP server over an in-memory tenant, with the
 * client-credentials token endpoint, offset and checkpoint paging, the 1,000-result cap of
 * `GET /users`, users-export jobs with a gzipped download, Auth0's error shapes and
 * `x-ratelimit-*` headers with 429s, and latency, fault and scenario knobs.
 *
 * The real `auth0` SDK talks to it through a `fetch` that rewrites `https://<domain>` to
 * `sim.url` (the source's `AUTH0_BASE_URL`).
 *
 * @example
 * ```ts
 * const sim = await createAuth0Simulator({ clients: [{ id: 'c', secret: 's' }], scenario });
 * // AUTH0_DOMAIN=sim.domain AUTH0_BASE_URL=sim.url AUTH0_CLIENT_ID=c AUTH0_CLIENT_SECRET=s
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
import { errorAnswer, faultBody, oauthError } from './errors.js';
import { pagingOf } from './paging.js';
import { routeTemplate, serveApi, type ExportJob, type RouteDeps } from './routes.js';
import { createTenant, loadScenario, scenarioSchema, type ScenarioInput } from './tenant.js';
import type { Auth0Simulator, Auth0SimulatorOptions } from './types.js';

const maxBodyBytes = 1024 * 1024;

/** Starts a simulator (optionally seeded) and resolves once it listens. */
export async function createAuth0Simulator(
  options: Auth0SimulatorOptions & { scenario?: ScenarioInput | undefined } = {},
): Promise<Auth0Simulator> {
  const now = options.now ?? Date.now;
  const nowIso = () => new Date(now()).toISOString();
  const prng = createPrng(options.seed ?? 1);
  const tenant = createTenant();
  const domain = options.domain ?? 'example.auth0.com';
  const clients = new Map((options.clients ?? []).map(client => [client.id, client.secret]));
  const tokens = new Set<string>();
  const jobs = new Map<string, ExportJob>();
  const knobs = createKnobs({
    random: createPrng((options.seed ?? 1) + 1).next,
    latencyMs: options.latencyMs,
    faults: options.faults,
  });
  const calls = createTally();
  const throttled = createTally();
  const limit = options.rateLimit ?? { limit: 1_000, windowMs: 1_000 };
  let window = { start: 0, used: 0 };
  let baseUrl = '';

  const load = (scenario: ScenarioInput) => loadScenario(tenant, scenario, prng, nowIso());
  if (options.scenario !== undefined) {
    load(options.scenario);
  }
  const routeDeps: RouteDeps = {
    tenant,
    prng,
    jobs,
    exportPolls: options.exportPolls ?? 1,
    exportUrl: id =>
      `${baseUrl}/exports/${id}.json.gz?X-Amz-Signature=${randomBytes(8).toString('hex')}`,
    nowIso,
  };

  /** Takes one call from the tenant's bucket; the headers say what is left. */
  const rateLimit = (): { headers: Record<string, string>; ok: boolean } => {
    const t = now();
    if (t >= window.start + limit.windowMs) {
      window = { start: t - (t % limit.windowMs), used: 0 };
    }
    const ok = window.used < limit.limit;
    if (ok) {
      window.used += 1;
    }
    return {
      ok,
      headers: {
        'x-ratelimit-limit': String(limit.limit),
        'x-ratelimit-remaining': String(limit.limit - window.used),
        'x-ratelimit-reset': String(Math.ceil((window.start + limit.windowMs) / 1000)),
      },
    };
  };

  const token = (raw: Buffer, contentType: string | undefined): SimResponse => {
    const text = raw.toString('utf8');
    const form: Record<string, string> =
      contentType?.includes('json') === true
        ? (JSON.parse(text) as Record<string, string>)
        : Object.fromEntries(new URLSearchParams(text));
    if (form['grant_type'] !== 'client_credentials') {
      return oauthError(400, 'unsupported_grant_type', 'Unsupported grant type');
    }
    const secret = clients.get(form['client_id'] ?? '');
    if (secret === undefined || secret !== form['client_secret']) {
      return oauthError(401, 'access_denied', 'Unauthorized');
    }
    if (form['audience'] !== `https://${domain}/api/v2/`) {
      return oauthError(403, 'access_denied', `Service not found: ${form['audience'] ?? ''}`);
    }
    const accessToken = `sim.${randomBytes(16).toString('hex')}`;
    tokens.add(accessToken);
    return {
      status: 200,
      body: {
        access_token: accessToken,
        expires_in: 86_400,
        token_type: 'Bearer',
        scope: 'read:users read:roles read:organizations create:users_exports_jobs',
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
          () => errorAnswer(404, 'unknown control route'),
        ),
      );
      return;
    }
    const template = url.pathname.startsWith('/api/v2/')
      ? routeTemplate(method, url.pathname.slice(7))
      : `${method} ${url.pathname.replace(/\/exports\/.*/, '/exports/{file}')}`;
    calls.add(template);
    await knobs.delay();
    const fault = await knobs.fault(method, url.pathname);
    if (knobs.closed()) {
      res.destroy();
      return;
    }
    if (fault !== undefined) {
      if (fault.status === 429) {
        throttled.add(template);
      }
      send(
        faultResponse(fault, {
          body: faultBody,
          headers: status => (status === 429 ? rateLimit().headers : {}),
        }),
      );
      return;
    }
    if (method === 'POST' && url.pathname === '/oauth/token') {
      send(token(raw, req.headers['content-type']));
      return;
    }
    const download = /^\/exports\/(job_[A-Za-z0-9]+)\.json\.gz$/.exec(url.pathname);
    if (method === 'GET' && download !== null) {
      // A pre-signed URL on the export bucket: no token, no Management API rate limit.
      const job = jobs.get(download[1] ?? '');
      if (job === undefined || job.polls <= routeDeps.exportPolls) {
        send({ status: 404, body: 'NoSuchKey' });
        return;
      }
      res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': job.file.length });
      res.end(job.file);
      return;
    }
    if (!url.pathname.startsWith('/api/v2/')) {
      send(errorAnswer(404, 'Not Found'));
      return;
    }
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (bearer === undefined || !tokens.has(bearer)) {
      send({
        status: 401,
        body: {
          statusCode: 401,
          error: 'Unauthorized',
          message: 'Invalid token',
          attributes: { error: 'Invalid token' },
        },
      });
      return;
    }
    const limited = rateLimit();
    if (!limited.ok) {
      throttled.add(template);
      send({
        ...errorAnswer(429, 'Global limit has been reached', 'too_many_requests'),
        headers: limited.headers,
      });
      return;
    }
    let body: unknown;
    try {
      body = raw.length === 0 ? undefined : JSON.parse(raw.toString('utf8'));
    } catch {
      send({
        ...errorAnswer(400, 'Invalid request payload JSON format', 'invalid_body'),
        headers: limited.headers,
      });
      return;
    }
    const answer = await knobs.paging.serve(method, url, pagingOf(url), target =>
      serveApi(routeDeps, {
        method,
        path: target.pathname.slice(7),
        query: target.searchParams,
        body,
      }),
    );
    send({ ...answer, headers: { ...limited.headers, ...answer.headers } });
  };

  const sim: Auth0Simulator = {
    url: '',
    port: 0,
    domain,
    tenant,
    load,
    calls: () => ({ byEndpoint: calls.toRecord(), throttled: throttled.toRecord() }),
    ...knobControls(knobs),
    setClientSecret: (id, secret) => {
      clients.set(id, secret);
    },
    revokeTokens: () => tokens.clear(),
    resetCounters: () => {
      calls.clear();
      throttled.clear();
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
        users: tenant.users.size,
        roles: [...tenant.roles.values()].map(r => ({
          id: r.id,
          name: r.name,
          members: r.members.size,
        })),
        organizations: [...tenant.organizations.values()].map(o => ({
          id: o.id,
          name: o.name,
          members: o.members.size,
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
      return controlOk({
        users: tenant.users.size,
        roles: tenant.roles.size,
        organizations: tenant.organizations.size,
      });
    },
  };

  const server = createServer((req, res) => {
    serve(req, res).catch((error: unknown) =>
      sendResponse(res, errorAnswer(500, String(error)), jsonOrEmpty),
    );
  });
  const bound = await listen(server, { port: options.port, host: options.host });
  baseUrl = options.publicUrl ?? `http://${bound.urlHost}:${bound.port}`;
  return Object.assign(sim, { url: baseUrl, port: bound.port });
}
