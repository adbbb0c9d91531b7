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

/**
 * Okta's page: the source asks `limit=200` on every list (Okta's recommendation); the simulator
 * (like Okta) caps users at 200 and groups and group members at 10000, so 200 is what applies.
 */
export const oktaPage = 200;
/** Okta's Enterprise per-minute limits of the buckets the read uses (the simulator's defaults). */
export const oktaRateLimits = { groups: 600, users: 600 } as const;
/** Okta's rate-limit window: per minute, fixed, starting with the bucket's first request. */
export const oktaWindowMs = 60_000;
/** `OKTA_RATE_LIMIT_SHARE`'s default: the share of each bucket the source allows itself. */
export const oktaDefaultShare = 0.5;

/** Endpoint labels as the Okta simulator counts them. */
const oktaEndpoints = {
  groups: 'GET /api/v1/groups',
  members: 'GET /api/v1/groups/{groupId}/users',
  users: 'GET /api/v1/users',
} as const;

/** What only the Okta bound needs. */
export type OktaBoundInput = {
  /** Members of each group (the generator gives every group the same number). */
  readonly membersPerGroup: number;
  /** Incremental: groups whose membership changed since the last read. */
  readonly changedGroups: number;
  /** Incremental: users whose `lastUpdated` moved since the last read (joiners). */
  readonly changedUsers: number;
  /** Member lists read at once (the source's default is 4). */
  readonly concurrency: number;
  /** `OKTA_RATE_LIMIT_SHARE`. */
  readonly rateLimitShare: number;
  /**
   * An earlier step may have left a window open: its remaining calls and early reset are unknown
   * here, so one window fewer is all that is certain. False only when the org's windows are fresh.
   */
  readonly windowsCarriedOver: boolean;
};

/** The Okta read's two bounds, and which one binds. */
export type OktaReadBound = {
  /** Calls in series × latency. */
  readonly latencyMs: number;
  /** Fixed per-minute windows the busiest bucket's calls need. */
  readonly rateLimitMs: number;
  readonly binds: 'latency' | 'rate limit';
  /** Minimum calls per rate-limit bucket. */
  readonly buckets: { readonly groups: number; readonly users: number };
  /** Calls per window the share allows, per bucket. */
  readonly perWindow: { readonly groups: number; readonly users: number };
};

export type Minimum = {
  /** Minimum calls by endpoint group. */
  readonly idp: Record<string, number>;
  readonly litellm: Record<string, number>;
  readonly litellmWrites: number;
  /** Lower bound of the wall time (ms). */
  readonly lowerBoundMs: number;
  /** The same broken down: token + IdP/LiteLLM read critical path + write phases. */
  readonly boundParts: { readonly readMs: number; readonly writeMs: number };
  /** Okta only: the read's latency and rate-limit bounds. */
  readonly okta?: OktaReadBound | undefined;
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
  /** Set when the IdP is Okta (Graph's paging and batching otherwise). */
  readonly okta?: OktaBoundInput | undefined;
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
  const read = input.okta === undefined ? entraRead(input) : oktaRead(input, input.okta);
  const idp = read.idp;
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
  // The IdP and LiteLLM reads run side by side: the longer one is on the critical path.
  const readMs = Math.max(read.readMs, Math.max(teamPages, userPages) * input.latencyMs);
  const writeMs = writeDepth * input.latencyMs;
  return {
    idp,
    litellm,
    litellmWrites: writes,
    lowerBoundMs: readMs + writeMs,
    boundParts: { readMs, writeMs },
    ...(read.okta === undefined ? {} : { okta: read.okta }),
  };
}

type IdpRead = {
  readonly idp: Record<string, number>;
  /** The IdP read's own lower bound (ms). */
  readonly readMs: number;
  readonly okta?: OktaReadBound | undefined;
};

/** Graph: token, then users and groups (`$top=999`) beside `$batch`ed member lists. */
function entraRead(input: BoundInput): IdpRead {
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
  return { idp, readMs: idpDepth * input.latencyMs };
}

/**
 * Okta (SSWS: no token call). A full read lists the groups (Everyone included: the scope is
 * applied client-side), then each in-scope group's members, `concurrency` lists at a time; it
 * never lists `/api/v1/users`. An incremental read lists the changed groups (one filtered list),
 * re-reads their members, then lists the changed users (only joiners: a membership change does
 * not move a user's `lastUpdated`).
 *
 * The time is the larger of two bounds: calls in series × latency, and the rate limits — a
 * bucket's calls over its per-minute share need that many fixed windows, the last one starting at
 * least (windows − 1) minutes after the first (− 2 when the first window may be one an earlier
 * step opened: it can reset early). Not calls ÷ rate: 301 calls at 300 a window fit in 60 s.
 */
function oktaRead(input: BoundInput, okta: OktaBoundInput): IdpRead {
  const full = input.mode === 'full';
  const groupsListed = full ? input.idpGroups + 1 : okta.changedGroups;
  const groupsRead = full ? input.idpGroups : okta.changedGroups;
  const memberPages = pages(okta.membersPerGroup, oktaPage);
  const groupsPages = pages(groupsListed, oktaPage);
  const idp: Record<string, number> = { [oktaEndpoints.groups]: groupsPages };
  if (groupsRead > 0) {
    idp[oktaEndpoints.members] = groupsRead * memberPages;
  }
  const usersPages = full ? 0 : pages(okta.changedUsers, oktaPage);
  if (!full) {
    idp[oktaEndpoints.users] = usersPages;
  }
  const depth = groupsPages + Math.ceil(groupsRead / okta.concurrency) * memberPages + usersPages;
  const latencyMs = depth * input.latencyMs;
  // `/api/v1/groups/{id}/users` counts against the `groups` bucket, with the group list.
  const buckets = {
    groups: groupsPages + groupsRead * memberPages,
    users: usersPages,
  };
  const windowsMs = (bucket: keyof typeof buckets): number => {
    const perWindow = Math.max(1, Math.floor(oktaRateLimits[bucket] * okta.rateLimitShare));
    const resets = Math.ceil(buckets[bucket] / perWindow) - (okta.windowsCarriedOver ? 2 : 1);
    return resets <= 0 ? 0 : resets * oktaWindowMs + input.latencyMs;
  };
  const rateLimitMs = Math.max(windowsMs('groups'), windowsMs('users'));
  return {
    idp,
    readMs: Math.max(latencyMs, rateLimitMs),
    okta: {
      latencyMs,
      rateLimitMs,
      binds: rateLimitMs > latencyMs ? 'rate limit' : 'latency',
      buckets,
      perWindow: {
        groups: Math.floor(oktaRateLimits.groups * okta.rateLimitShare),
        users: Math.floor(oktaRateLimits.users * okta.rateLimitShare),
      },
    },
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
