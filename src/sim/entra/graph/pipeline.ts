/**
 * One authenticated Graph request, top-level or inside `$batch`: route → permission check →
 * resource-unit throttling → handler, every failure rendered as Graph's error body with
 * `request-id` headers. Fault rules and authentication happen before this (see dispatch.ts).
 */
import type { TokenCaller } from '../auth/access-token.js';
import { entraFaultResponse } from '../http/faults.js';
import type { Stats } from '../http/stats.js';
import type { Throttle } from '../http/throttle.js';
import type { EntraFaultRule } from '../model.js';
import type { GraphContext } from './context.js';
import {
  defaultGraphError,
  graphErrorBody,
  GraphHttpError,
  throttledBody,
  type RequestIds,
  type SimResponse,
} from './errors.js';
import { matchRoute, resourceUnits } from './router.js';

/** What the pipeline needs. */
export type PipelineDeps = {
  ctx: GraphContext;
  throttle: Throttle;
  stats: Stats;
  tenantId: string;
};

/** One Graph call; `path` is after `/v1.0` and without the query. */
export type GraphCall = {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
};

/** Graph's JSON content type. */
export const ODATA_JSON =
  'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

/** The counter key of a call: the route template, or the raw path when nothing matches. */
export function graphEndpoint(method: string, path: string): string {
  try {
    return matchRoute(method, path).endpoint;
  } catch {
    return `${method} /v1.0${path}`;
  }
}

/** Headers every Graph answer carries. */
export function baseHeaders(ids: RequestIds): Record<string, string> {
  return {
    'request-id': ids.requestId,
    'client-request-id': ids.clientRequestId,
    'x-ms-ags-diagnostic': JSON.stringify({
      ServerInfo: { DataCenter: 'Simulator', Slice: 'E', Ring: '0' },
    }),
  };
}

/** Renders a thrown error as Graph's answer. */
export function graphErrorResponse(err: unknown, ids: RequestIds): SimResponse {
  if (err instanceof GraphHttpError) {
    return {
      status: err.status,
      body: graphErrorBody(err.code, err.message, ids),
      headers: { ...baseHeaders(ids), ...err.headers },
    };
  }
  const message = err instanceof Error ? err.message : String(err);
  return {
    status: 500,
    body: graphErrorBody('generalException', message, ids),
    headers: baseHeaders(ids),
  };
}

/** The answer of a fired fault rule on a Graph path. */
export function graphFaultResponse(rule: EntraFaultRule, ids: RequestIds): SimResponse {
  const defaultBody = (status: number): unknown => {
    if (status === 429) {
      return throttledBody(ids);
    }
    const fallback = defaultGraphError(status);
    return graphErrorBody(fallback.code, fallback.message, ids);
  };
  return entraFaultResponse(rule, defaultBody, baseHeaders(ids));
}

/**
 * Runs one authenticated call. Never throws: errors become Graph error answers. A request is
 * charged once routed and permitted, even when its handler then refuses it (a `$top=1000`
 * costs its units); the `$batch` envelope itself costs nothing, each inner request is charged.
 */
export function executeGraph(
  call: GraphCall,
  caller: TokenCaller,
  deps: PipelineDeps,
  ids: RequestIds,
): SimResponse {
  deps.stats.priority(call.headers['x-ms-throttle-priority']);
  try {
    const match = matchRoute(call.method, call.path);
    if (!match.route.roles.some(role => caller.roles.includes(role))) {
      throw new GraphHttpError(
        403,
        'Authorization_RequestDenied',
        'Insufficient privileges to complete the operation.',
      );
    }
    const units = resourceUnits(match.route.cost, call.query);
    const charge = deps.throttle.charge(caller.appId, units);
    if (!charge.ok) {
      return {
        status: 429,
        body: throttledBody(ids),
        headers: {
          ...baseHeaders(ids),
          'retry-after': String(charge.retryAfterSeconds),
          'x-ms-throttle-scope': `Tenant_Application/ReadWrite/${caller.appId}/${deps.tenantId}`,
          'x-ms-throttle-information': 'ResourceUnitLimitExceeded',
          'x-ms-throttle-limit-percentage': charge.usage.toFixed(2),
        },
      };
    }
    deps.stats.units(match.endpoint, units);
    const response = match.route.handle({ ...call, params: match.params }, deps.ctx);
    // Only above 0.8 of the limit (throttling-limits.md, "Regular responses").
    const usage: Record<string, string> =
      charge.usage > 0.8 ? { 'x-ms-throttle-limit-percentage': charge.usage.toFixed(2) } : {};
    return {
      ...response,
      headers: {
        ...baseHeaders(ids),
        'odata-version': '4.0',
        'cache-control': 'no-cache',
        'x-ms-resource-unit': String(units),
        ...usage,
        ...response.headers,
      },
    };
  } catch (err) {
    return graphErrorResponse(err, ids);
  }
}
