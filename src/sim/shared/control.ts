/**
 * Plumbing of the unauthenticated `/__sim/*` test-control routes: body parsing, the route table
 * and the fault and latency routes. The routes are not part of any vendor's API, so their
 * answers are the simulators' own; each simulator keeps its own 404 and any route of its own.
 */
import { z } from 'zod';

import { faultsBodySchema, rulesOf, type FaultRule } from './fault-rule.js';
import type { SimResponse } from './http-io.js';
import { pagingFaultSchema, type PagingFault } from './paging-faults.js';

/** One control route: receives the parsed JSON body (`undefined` when empty). */
export type ControlRoute = (body: unknown) => SimResponse;

/** Control routes by `"METHOD /__sim/…"`. */
export type ControlRoutes = Readonly<Record<string, ControlRoute>>;

/** A 200 answer. */
export function controlOk(body: unknown): SimResponse {
  return { status: 200, body };
}

/** A 400 answer carrying `error` (a message or validation issues). */
export function badRequest(error: unknown): SimResponse {
  return { status: 400, body: { error } };
}

/**
 * Serves one control request: an empty `text` is no body, anything else must be JSON (a 400
 * otherwise, whatever the route). A route not in `routes` gets `notFound(route)`.
 */
export function serveControl(
  routes: ControlRoutes,
  request: { method: string; path: string; text: string },
  notFound: (route: string) => SimResponse,
): SimResponse {
  let body: unknown;
  try {
    body = request.text === '' ? undefined : (JSON.parse(request.text) as unknown);
  } catch {
    return badRequest('body is not JSON');
  }
  const route = `${request.method} ${request.path}`;
  // `hasOwn`, not a plain lookup: the table is an object literal with a prototype.
  const handle = Object.hasOwn(routes, route) ? routes[route] : undefined;
  return handle === undefined ? notFound(route) : handle(body);
}

/** The part of a simulator handle the fault and latency routes drive. */
export type KnobControls<R extends FaultRule> = {
  setFaults(rules: readonly R[]): void;
  clearFaults(): void;
  setLatency(ms: number): void;
  /** Present on simulators whose lists page: then `/__sim/paging-fault` is served too. */
  setPagingFault?(fault: PagingFault): void;
  clearPagingFault?(): void;
};

const latencyBodySchema = z.object({ ms: z.int().min(0) });

/**
 * `POST` and `DELETE /__sim/faults` and `POST /__sim/latency` (and `POST` and
 * `DELETE /__sim/paging-fault` where the simulator has paging faults), answering with what is
 * now set (`{rules: n}`, `{ms}`, `{kind}`) and with the validation issues on a bad body.
 */
export function knobRoutes<R extends FaultRule>(
  sim: KnobControls<R>,
  ruleSchema: z.ZodType<R>,
): ControlRoutes {
  const faultsBody = faultsBodySchema(ruleSchema);
  return {
    'POST /__sim/faults': body => {
      const parsed = faultsBody.safeParse(body);
      if (!parsed.success) {
        return badRequest(parsed.error.issues);
      }
      const rules = rulesOf(parsed.data);
      sim.setFaults(rules);
      return controlOk({ rules: rules.length });
    },
    'DELETE /__sim/faults': () => {
      sim.clearFaults();
      return controlOk({ rules: 0 });
    },
    'POST /__sim/latency': body => {
      const parsed = latencyBodySchema.safeParse(body);
      if (!parsed.success) {
        return badRequest(parsed.error.issues);
      }
      sim.setLatency(parsed.data.ms);
      return controlOk({ ms: parsed.data.ms });
    },
    ...pagingRoutes(sim),
  };
}

function pagingRoutes<R extends FaultRule>(sim: KnobControls<R>): ControlRoutes {
  if (sim.setPagingFault === undefined || sim.clearPagingFault === undefined) {
    return {};
  }
  return {
    'POST /__sim/paging-fault': body => {
      const parsed = pagingFaultSchema.safeParse(body);
      if (!parsed.success) {
        return badRequest(parsed.error.issues);
      }
      sim.setPagingFault?.(parsed.data);
      return controlOk({ kind: parsed.data.kind });
    },
    'DELETE /__sim/paging-fault': () => {
      sim.clearPagingFault?.();
      return controlOk({ kind: null });
    },
  };
}
