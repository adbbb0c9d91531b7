/**
 * Unauthenticated `/__sim/*` test-control routes (served only with `control: true`): inspect
 * state and counters, load a scenario, mutate the directory, set faults, latency, throttling and
 * the clock, force a delta resync. They mirror the in-process handle for out-of-process tests.
 */
import { z } from 'zod';

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

const faultsSchema = z.union([
  z.array(entraFaultRuleSchema),
  z.object({ rules: z.array(entraFaultRuleSchema) }),
]);
const clockSchema = z.object({
  now: z.union([z.number(), z.string(), z.null()]).optional(),
  advanceMs: z.number().optional(),
});
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

/** Answers `/__sim/*`; `body` is the parsed JSON body (or undefined). */
export function handleControl(
  sim: EntraSimulator,
  method: string,
  path: string,
  body: unknown,
): SimResponse {
  const route = `${method} ${path}`;
  try {
    switch (route) {
      case 'GET /__sim/state':
        return { status: 200, body: dumpState(sim) };
      case 'POST /__sim/scenario':
        loadScenario(sim.directory, entraScenarioSchema.parse(body));
        return { status: 200, body: { ok: true } };
      case 'POST /__sim/mutate':
        return {
          status: 200,
          body: { ok: true, result: applyMutation(sim, mutationSchema.parse(body)) ?? null },
        };
      case 'GET /__sim/calls':
        return {
          status: 200,
          body: {
            calls: sim.calls(),
            resourceUnits: sim.resourceUnits(),
            priorities: sim.priorities(),
          },
        };
      case 'POST /__sim/calls/reset':
        sim.resetCounters();
        return { status: 200, body: { ok: true } };
      case 'POST /__sim/faults': {
        const parsed = faultsSchema.parse(body);
        const rules = Array.isArray(parsed) ? parsed : parsed.rules;
        sim.setFaults(rules);
        return { status: 200, body: { rules: rules.length } };
      }
      case 'DELETE /__sim/faults':
        sim.clearFaults();
        return { status: 200, body: { ok: true } };
      case 'POST /__sim/latency':
        sim.setLatency(z.object({ ms: z.number().min(0) }).parse(body).ms);
        return { status: 200, body: { ok: true } };
      case 'POST /__sim/throttle':
        sim.setThrottle(throttleSchema.parse(body));
        return { status: 200, body: { ok: true } };
      case 'POST /__sim/clock': {
        const clock = clockSchema.parse(body);
        if (clock.advanceMs !== undefined) {
          sim.setNow(sim.now() + clock.advanceMs);
        } else {
          sim.setNow(
            clock.now === null || clock.now === undefined
              ? undefined
              : new Date(clock.now).getTime(),
          );
        }
        return { status: 200, body: { now: new Date(sim.now()).toISOString() } };
      }
      case 'POST /__sim/reset':
        sim.reset();
        return { status: 200, body: { reset: true } };
      case 'POST /__sim/resync':
        sim.directory.forceResync();
        return { status: 200, body: { ok: true } };
      default:
        return { status: 404, body: { error: `no control route ${route}` } };
    }
  } catch (err) {
    return { status: 400, body: { error: err instanceof Error ? err.message : String(err) } };
  }
}
