/**
 * The minimum number of calls a run needs, given the paging and batching the APIs allow, and the
 * wall-time lower bound that follows (critical path in calls × latency, calls within a stage
 * divided over the allowed concurrency).
 */
import type { Operation } from '../src/reconcile/operations.js';

/** Graph's largest `$top`, `$batch`'s envelope size, LiteLLM's page and member_add batch. */
export const graphPage = 999;
export const graphBatch = 20;
export const litellmPage = 100;
export const memberBatch = 100;

export type Minimum = {
  /** Minimum calls by endpoint group. */
  readonly idp: Record<string, number>;
  readonly litellm: Record<string, number>;
  readonly litellmWrites: number;
  /** Lower bound of the wall time (ms). */
  readonly lowerBoundMs: number;
  /** The same broken down: token + IdP/LiteLLM read critical path + write phases. */
  readonly boundParts: { readonly readMs: number; readonly writeMs: number };
};

export type BoundInput = {
  readonly mode: 'full' | 'incremental';
  /** Users and groups in the IdP tenant (all of them: Graph lists are not filtered). */
  readonly idpUsers: number;
  readonly idpGroups: number;
  /** Teams and users LiteLLM held when the run started. */
  readonly litellmTeams: number;
  readonly litellmUsers: number;
  readonly operations: readonly Operation[];
  readonly latencyMs: number;
  /** Calls in flight at once when applying: min(APPLY_CONCURRENCY, LITELLM_CONCURRENCY). */
  readonly writeConcurrency: number;
  /** `$batch` envelopes in flight at once (the Entra source's default is 4). */
  readonly graphConcurrency: number;
};

const pages = (n: number, size: number): number => Math.max(1, Math.ceil(n / size));

/** Writes each operation needs at the least (LiteLLM takes a list of up to 100 members per call). */
function writeCalls(op: Operation): number {
  switch (op.kind) {
    case 'addMembers':
      return Math.ceil(op.members.length / memberBatch);
    case 'forgetGrant':
    case 'forgetUser':
      return 0;
    default:
      return 1;
  }
}

export function minimum(input: BoundInput): Minimum {
  // MSAL reads the tenant's OpenID metadata once, then asks for the token: two calls in series.
  const idp: Record<string, number> = { 'token (OpenID metadata + token)': 2 };
  let idpDepth: number;
  if (input.mode === 'full') {
    const batches = Math.ceil(input.idpGroups / graphBatch);
    Object.assign(idp, {
      'users/delta (latest)': 1,
      'groups/delta (latest)': 1,
      users: pages(input.idpUsers, graphPage),
      groups: pages(input.idpGroups, graphPage),
      $batch: batches,
      'group members (inside $batch)': input.idpGroups,
    });
    idpDepth =
      1 +
      1 +
      Math.max(
        pages(input.idpUsers, graphPage),
        pages(input.idpGroups, graphPage) + Math.ceil(batches / input.graphConcurrency),
      );
  } else {
    Object.assign(idp, { 'users/delta': 1, 'groups/delta': 1 });
    idpDepth = 2 + 1;
  }
  const teamPages = pages(input.litellmTeams, litellmPage);
  const userPages = pages(input.litellmUsers, litellmPage);
  const litellm: Record<string, number> = {
    'GET /v2/team/list': teamPages,
    'GET /user/list': userPages,
  };
  const phases = new Map<number, { calls: number; longestChain: number }>();
  let writes = 0;
  for (const op of input.operations) {
    const calls = writeCalls(op);
    writes += calls;
    const key = endpointOf(op);
    if (key !== undefined && calls > 0) {
      litellm[key] = (litellm[key] ?? 0) + calls;
    }
    const phase = phaseOf(op);
    const entry = phases.get(phase) ?? { calls: 0, longestChain: 0 };
    entry.calls += calls;
    // One team's member batches are sequential (read-modify-write of members_with_roles).
    entry.longestChain = Math.max(
      entry.longestChain,
      op.kind === 'addMembers' ? calls : Math.min(calls, 1),
    );
    phases.set(phase, entry);
  }
  let writeDepth = 0;
  for (const { calls, longestChain } of phases.values()) {
    writeDepth += Math.max(Math.ceil(calls / input.writeConcurrency), longestChain);
  }
  const readDepth = Math.max(idpDepth, Math.max(teamPages, userPages));
  return {
    idp,
    litellm,
    litellmWrites: writes,
    lowerBoundMs: (readDepth + writeDepth) * input.latencyMs,
    boundParts: { readMs: readDepth * input.latencyMs, writeMs: writeDepth * input.latencyMs },
  };
}

const endpoints: Partial<Record<Operation['kind'], string>> = {
  createTeam: 'POST /team/new',
  renameTeam: 'POST /team/update',
  adoptTeam: 'POST /team/update',
  createUser: 'POST /user/new',
  updateUser: 'POST /user/update',
  adoptUser: 'POST /user/update',
  restoreUser: 'POST /user/update',
  addMembers: 'POST /team/member_add',
  removeMember: 'POST /team/member_delete',
  deprovisionUser: 'POST /user/delete',
  suspendUser: 'POST /user/update',
  retireTeam: 'POST /team/delete',
};

function endpointOf(op: Operation): string | undefined {
  return endpoints[op.kind];
}

const phaseOrder: Record<Operation['kind'], number> = {
  createTeam: 1,
  adoptTeam: 1,
  renameTeam: 1,
  createUser: 2,
  adoptUser: 2,
  updateUser: 2,
  restoreUser: 2,
  addMembers: 3,
  removeMember: 4,
  forgetGrant: 4,
  deprovisionUser: 5,
  suspendUser: 5,
  forgetUser: 5,
  retireTeam: 6,
};

function phaseOf(op: Operation): number {
  return phaseOrder[op.kind];
}
