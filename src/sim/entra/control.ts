/**
 * Unauthenticated `/__sim/*` test-control routes (served only with `control: true`): inspect
 * state and counters, load a scenario, mutate the directory, set faults, latency, throttling and
 * the clock, force a delta resync. They mirror the in-process handle for out-of-process tests.
 */
import { z } from 'zod';

import { controlOk, serveControl, type ControlRoutes } from '../shared/control.js';
import { faultsBodySchema, rulesOf } from '../shared/fault-rule.js';
import type { SimResponse } from './graph/errors.js';
import { entraFaultRuleSchema } from './http/faults.js';
import { groupInputSchema, userInputSchema } from './inputs.js';
import { entraScenarioSchema, loadScenario } from './scenario.js';
import type { EntraSimulator } from './types.js';

const id = z.string().min(1);

/** Directory mutations accepted by `POST /__sim/mutate`. */
export const mutationSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('addUser'), user: userInputSchema }),
  z.object({
    op: z.literal('updateUser'),
    id,
    patch: userInputSchema.partial().omit({ id: true }),
  }),
  z.object({ op: z.literal('disableUser'), id }),
  z.object({ op: z.literal('enableUser'), id }),
  z.object({ op: z.literal('softDeleteUser'), id }),
  z.object({ op: z.literal('restoreUser'), id }),
  z.object({ op: z.literal('purgeUser'), id }),
  z.object({ op: z.literal('addGroup'), group: groupInputSchema }),
  z.object({ op: z.literal('renameGroup'), id, displayName: z.string().min(1) }),
  z.object({ op: z.literal('deleteGroup'), id }),
  z.object({ op: z.literal('addMember'), groupId: id, memberId: id }),
  z.object({ op: z.literal('removeMember'), groupId: id, memberId: id }),
  z.object({
    op: z.literal('assignAppRole'),
    servicePrincipalId: id,
    principalId: id,
    appRoleId: z.string().optional(),
  }),
  z.object({ op: z.literal('unassignAppRole'), servicePrincipalId: id, assignmentId: id }),
]);
/** One mutation. */
export type Mutation = z.infer<typeof mutationSchema>;

const faultsSchema = faultsBodySchema(entraFaultRuleSchema);
const clockSchema = z.object({
  now: z.union([z.number(), z.string(), z.null()]).optional(),
  advanceMs: z.number().optional(),
});
const latencySchema = z.object({ ms: z.number().min(0) });
const throttleSchema = z.object({
  limit: z.number().nullable().optional(),
  windowMs: z.number().optional(),
  retryAfterSeconds: z.number().optional(),
});

function applyMutation(sim: EntraSimulator, m: Mutation): unknown {
  const d = sim.directory;
  switch (m.op) {
    case 'addUser':
      return d.addUser(m.user);
    case 'updateUser':
      return d.updateUser(m.id, m.patch);
    case 'disableUser':
      return d.disableUser(m.id);
    case 'enableUser':
      return d.enableUser(m.id);
    case 'softDeleteUser':
      return d.softDeleteUser(m.id);
    case 'restoreUser':
      return d.restoreUser(m.id);
    case 'purgeUser':
      return d.purgeUser(m.id);
    case 'addGroup':
      return d.addGroup(m.group);
    case 'renameGroup':
      return d.renameGroup(m.id, m.displayName);
    case 'deleteGroup':
      return d.deleteGroup(m.id);
    case 'addMember':
      return d.addMember(m.groupId, m.memberId);
    case 'removeMember':
      return d.removeMember(m.groupId, m.memberId);
    case 'assignAppRole':
      return d.assignAppRole(m.servicePrincipalId, m.principalId, m.appRoleId);
    case 'unassignAppRole':
      return d.unassignAppRole(m.servicePrincipalId, m.assignmentId);
  }
}

/** A JSON dump of the directory (members listed on their groups). */
export function dumpState(sim: EntraSimulator): unknown {
  const { state } = sim.directory;
  return {
    tenantId: sim.tenantId,
    users: [...state.users.values()],
    groups: [...state.groups.values()].map(g => ({
      ...g,
      members: [...(state.members.get(g.id) ?? new Map<string, string>()).entries()].map(
        ([memberId, type]) => ({ id: memberId, type }),
      ),
    })),
    servicePrincipals: [...state.servicePrincipals.values()].map(sp => ({
      ...sp,
      appRoleAssignedTo: state.assignments.get(sp.id) ?? [],
    })),
  };
}

function routes(sim: EntraSimulator): ControlRoutes {
  // Bodies are parsed with `parse`, not `safeParse`: handleControl turns a throw into a 400.
  return {
    'GET /__sim/state': () => controlOk(dumpState(sim)),
    'POST /__sim/scenario': body => {
      loadScenario(sim.directory, entraScenarioSchema.parse(body));
      return controlOk({ ok: true });
    },
    'POST /__sim/mutate': body =>
      controlOk({ ok: true, result: applyMutation(sim, mutationSchema.parse(body)) ?? null }),
    'GET /__sim/calls': () =>
      controlOk({
        calls: sim.calls(),
        resourceUnits: sim.resourceUnits(),
        priorities: sim.priorities(),
      }),
    'POST /__sim/calls/reset': () => {
      sim.resetCounters();
      return controlOk({ ok: true });
    },
    // Not the shared `knobRoutes`: Entra's answers are `{ok: true}`, its errors messages rather
    // than issues, and its latency may be fractional; clients of this simulator read them.
    'POST /__sim/faults': body => {
      const rules = rulesOf(faultsSchema.parse(body));
      sim.setFaults(rules);
      return controlOk({ rules: rules.length });
    },
    'DELETE /__sim/faults': () => {
      sim.clearFaults();
      return controlOk({ ok: true });
    },
    'POST /__sim/latency': body => {
      sim.setLatency(latencySchema.parse(body).ms);
      return controlOk({ ok: true });
    },
    'POST /__sim/throttle': body => {
      sim.setThrottle(throttleSchema.parse(body));
      return controlOk({ ok: true });
    },
    'POST /__sim/clock': body => {
      const clock = clockSchema.parse(body);
      if (clock.advanceMs !== undefined) {
        sim.setNow(sim.now() + clock.advanceMs);
      } else {
        sim.setNow(
          clock.now === null || clock.now === undefined ? undefined : new Date(clock.now).getTime(),
        );
      }
      return controlOk({ now: new Date(sim.now()).toISOString() });
    },
    'POST /__sim/reset': () => {
      sim.reset();
      return controlOk({ reset: true });
    },
    'POST /__sim/resync': () => {
      sim.directory.forceResync();
      return controlOk({ ok: true });
    },
  };
}

/**
 * Answers `/__sim/*`; `text` is the raw body (blank = none). A body a route cannot use is a 400
 * with the error's message.
 */
export function handleControl(
  sim: EntraSimulator,
  method: string,
  path: string,
  text: string,
): SimResponse {
  try {
    // A whitespace-only body counts as none here.
    const body = text.trim() === '' ? '' : text;
    return serveControl(routes(sim), { method, path, text: body }, route => ({
      status: 404,
      body: { error: `no control route ${route}` },
    }));
  } catch (err) {
    return { status: 400, body: { error: err instanceof Error ? err.message : String(err) } };
  }
}
