/**
 * The simulator's request handler: control routes, fixed latency, call counting, fault rules
 * (checked before authentication and handlers), then the login side or Graph (authentication,
 * `$batch` fan-out, pipeline).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import { readBody } from '../shared/http-io.js';
import type { Knobs } from '../shared/knobs.js';
import type { TokenIssuer } from './auth/access-token.js';
import { loginFaultBody, matchLogin, type LoginDeps } from './auth/login-routes.js';
import { handleControl } from './control.js';
import { executeBatch } from './graph/batch.js';
import { GraphHttpError, type RequestIds, type SimResponse } from './graph/errors.js';
import { graphPaging } from './graph/paging.js';
import {
  baseHeaders,
  executeGraph,
  graphEndpoint,
  graphErrorResponse,
  graphFaultResponse,
  ODATA_JSON,
  type GraphCall,
  type PipelineDeps,
} from './graph/pipeline.js';
import { entraFaultResponse, inBatchScope } from './http/faults.js';
import { headerMap, MAX_BODY_BYTES, send } from './http/io.js';
import type { EntraFaultRule } from './model.js';
import type { EntraSimulator } from './types.js';

/** Everything the handler reads; getters because knobs change at run time. */
export type DispatchDeps = {
  pipeline: PipelineDeps;
  login: () => LoginDeps;
  issuer: TokenIssuer;
  control: boolean;
  /** Latency, fault rules and the closing flag (pending requests are dropped once closed). */
  knobs: Knobs<EntraFaultRule>;
  handle: () => EntraSimulator;
};

async function handleGraph(
  deps: DispatchDeps,
  req: { method: string; url: URL; headers: Record<string, string>; body: string },
  ids: RequestIds,
): Promise<SimResponse> {
  const path = req.url.pathname.slice('/v1.0'.length) || '/';
  const isBatch = req.method === 'POST' && path === '/$batch';
  const { stats } = deps.pipeline;
  stats.call(isBatch ? 'POST /v1.0/$batch' : graphEndpoint(req.method, path));
  const rule = await deps.knobs.fault(req.method, req.url.pathname, inBatchScope(false));
  if (rule) {
    return graphFaultResponse(rule, ids);
  }
  let caller;
  try {
    caller = deps.issuer.verify(req.headers['authorization']);
  } catch (err) {
    return graphErrorResponse(err, ids);
  }
  if (!isBatch) {
    const paging = graphPaging(() => deps.pipeline.ctx.graphBase);
    return deps.knobs.paging.serve(req.method, req.url, paging, url =>
      executeGraph(
        { method: req.method, path, query: url.searchParams, headers: req.headers },
        caller,
        deps.pipeline,
        ids,
      ),
    );
  }
  const runInner = async (call: GraphCall): Promise<SimResponse> => {
    const innerIds = { ...ids, requestId: randomUUID() };
    stats.call(graphEndpoint(call.method, call.path));
    const fault = await deps.knobs.fault(call.method, `/v1.0${call.path}`, inBatchScope(true));
    if (fault) {
      return graphFaultResponse(fault, innerIds);
    }
    return executeGraph(call, caller, deps.pipeline, innerIds);
  };
  try {
    const response = await executeBatch(req.body, runInner, ids);
    return { ...response, headers: { ...baseHeaders(ids), ...response.headers } };
  } catch (err) {
    return graphErrorResponse(err, ids);
  }
}

async function handleLogin(
  deps: DispatchDeps,
  req: { method: string; url: URL; headers: Record<string, string>; body: string },
): Promise<SimResponse> {
  const login = deps.login();
  const route = matchLogin(req.method, req.url.pathname);
  if (!route) {
    const version = req.url.pathname.split('/')[1] ?? '';
    return {
      status: 400,
      body: { error: { code: 'BadRequest', message: `Invalid version: ${version}` } },
    };
  }
  deps.pipeline.stats.call(route.endpoint);
  const fault = await deps.knobs.fault(req.method, req.url.pathname, inBatchScope(false));
  if (fault) {
    return entraFaultResponse(fault, status =>
      loginFaultBody(status, login.now(), login.publicLogin),
    );
  }
  return route.run({ query: req.url.searchParams, headers: req.headers, body: req.body }, login);
}

/** Creates the `request` listener of the HTTPS server. */
export function createDispatcher(
  deps: DispatchDeps,
): (req: IncomingMessage, res: ServerResponse) => void {
  const dispatch = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'https://simulator.invalid');
    const method = (req.method ?? 'GET').toUpperCase();
    const headers = headerMap(req);
    const body = (await readBody(req, MAX_BODY_BYTES)).toString('utf8');
    if (url.pathname.startsWith('/__sim/')) {
      send(
        res,
        deps.control
          ? handleControl(deps.handle(), method, url.pathname, body)
          : { status: 404, body: { error: 'control routes are off' } },
      );
      return;
    }
    await deps.knobs.delay();
    const requestId = randomUUID();
    const ids: RequestIds = {
      requestId,
      clientRequestId: headers['client-request-id'] ?? requestId,
      now: deps.login().now(),
    };
    const request = { method, url, headers, body };
    const isGraph = url.pathname === '/v1.0' || url.pathname.startsWith('/v1.0/');
    const response = isGraph
      ? await handleGraph(deps, request, ids)
      : await handleLogin(deps, request);
    if (deps.knobs.closed()) {
      res.destroy();
      return;
    }
    send(res, response, isGraph ? ODATA_JSON : 'application/json; charset=utf-8');
  };
  return (req, res) => {
    dispatch(req, res).catch((err: unknown) => {
      const ids = { requestId: randomUUID(), clientRequestId: '', now: Date.now() };
      send(
        res,
        graphErrorResponse(
          err instanceof GraphHttpError
            ? err
            : new GraphHttpError(500, 'generalException', String(err)),
          ids,
        ),
      );
    });
  };
}
