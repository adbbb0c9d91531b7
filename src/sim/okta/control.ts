/**
 * The test-control routes under `/__sim/`, served only with the `control` option. They are not
 * part of Okta and need no token; each maps onto the in-process simulator API. Directory changes
 * go through Okta's own management endpoints (lifecycle, memberships, group profile) instead.
 */
import { z } from 'zod';

import {
  badRequest,
  controlOk,
  knobRoutes,
  serveControl,
  type ControlRoutes,
} from '../shared/control.js';
import { faultRuleSchema } from '../shared/fault-rule.js';
import type { SimResponse } from './errors.js';
import { scenarioSchema } from './scenario.js';
import type { OktaSimulator } from './simulator.js';

const tokensBodySchema = z.object({ apiTokens: z.array(z.string().min(1)) });

/** A summary of the directory, for humans and tests driving a separate process. */
function stateOf(sim: OktaSimulator): unknown {
  const { directory } = sim;
  return {
    users: [...directory.users.values()].map(u => ({
      id: u.id,
      login: u.profile.login,
      status: u.status,
    })),
    groups: [...directory.groups.values()].map(g => ({
      id: g.id,
      name: g.profile.name,
      type: g.type,
      members: g.type === 'BUILT_IN' ? directory.users.size : g.members.size,
    })),
    apps: [...directory.apps.values()],
  };
}

function routes(
  sim: OktaSimulator,
  loadScenario: (scenario: z.infer<typeof scenarioSchema>) => void,
): ControlRoutes {
  return {
    'GET /__sim/state': () => controlOk(stateOf(sim)),
    'GET /__sim/calls': () => controlOk(sim.calls()),
    'POST /__sim/scenario': body => {
      const parsed = scenarioSchema.safeParse(body);
      if (!parsed.success) {
        return badRequest(parsed.error.issues);
      }
      try {
        loadScenario(parsed.data);
      } catch (error) {
        return badRequest(String(error));
      }
      return controlOk(stateOf(sim));
    },
    ...knobRoutes(sim, faultRuleSchema),
    'POST /__sim/api-tokens': body => {
      const parsed = tokensBodySchema.safeParse(body);
      if (!parsed.success) {
        return badRequest(parsed.error.issues);
      }
      sim.setApiTokens(parsed.data.apiTokens);
      return controlOk({ apiTokens: parsed.data.apiTokens.length });
    },
    'POST /__sim/reset-counters': () => {
      sim.resetCounters();
      return controlOk({ reset: true });
    },
  };
}

/** Serves one `/__sim/*` request. */
export function handleControl(
  sim: OktaSimulator,
  loadScenario: (scenario: z.infer<typeof scenarioSchema>) => void,
  method: string,
  path: string,
  raw: Buffer,
): SimResponse {
  return serveControl(
    routes(sim, loadScenario),
    { method, path, text: raw.toString('utf8') },
    () => ({ status: 404, body: { error: 'unknown control route' } }),
  );
}
