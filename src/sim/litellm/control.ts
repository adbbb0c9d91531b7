/**
 * The test-control routes under `/__sim/`, served only with the `control` option. They are not
 * part of LiteLLM and need no master key; each maps onto the in-process simulator API.
 */
import { controlOk, knobRoutes, serveControl, type ControlRoutes } from '../shared/control.js';
import { faultRuleSchema } from '../shared/fault-rule.js';
import type { SimResponse } from './errors.js';
import type { LiteLLMSimulator } from './types.js';

/** The part of the simulator API the control routes drive. */
export type SimControls = Omit<LiteLLMSimulator, 'url' | 'port' | 'close'>;

function routes(sim: SimControls): ControlRoutes {
  return {
    'GET /__sim/state': () => controlOk(sim.state()),
    'GET /__sim/writes': () => controlOk(sim.writes()),
    'GET /__sim/calls': () => controlOk(sim.calls()),
    ...knobRoutes(sim, faultRuleSchema),
    'POST /__sim/reset': () => {
      sim.reset();
      return controlOk({ reset: true });
    },
  };
}

/** Serves one `/__sim/*` request; an unknown route is FastAPI's 404, as for the API. */
export function handleControl(
  sim: SimControls,
  method: string,
  path: string,
  raw: Buffer,
): SimResponse {
  return serveControl(routes(sim), { method, path, text: raw.toString('utf8') }, () => ({
    status: 404,
    body: { detail: 'Not Found' },
  }));
}
