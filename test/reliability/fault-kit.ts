/**
 * What the fault matrix shares: a fetch that counts the faults its caller met, write-log keys
 * for spotting lost or doubled writes, and the faulted-run → recovery → comparison procedure.
 */
import { expect } from 'vitest';

import type { ReconcileDeps, RunReport } from '../../src/reconcile/run-types.js';
import type { FaultRule } from '../../src/sim/shared/fault-rule.js';
import type { PagingFault } from '../../src/sim/shared/paging-faults.js';
import type { SimState, SimWrite } from '../../src/sim/litellm/types.js';
import type { Harness } from '../helpers/harness.js';

/**
 * The whole LiteLLM state, every column but the clock's (`created_at`, `updated_at`) and a key's
 * hash, in a stable order: two runs that agree here left the proxy in the same state.
 */
export function fullState(state: SimState) {
  const byId =
    <T>(key: (t: T) => string) =>
    (a: T, b: T) =>
      key(a).localeCompare(key(b));
  return {
    teams: state.teams
      .map(({ created_at: _c, updated_at: _u, ...t }) => ({
        ...t,
        members_with_roles: [...t.members_with_roles].sort(
          byId(m => `${m.user_id ?? ''}:${m.role}`),
        ),
      }))
      .sort(byId(t => t.team_id)),
    users: state.users
      .map(({ created_at: _c, updated_at: _u, ...u }) => ({ ...u, teams: [...u.teams].sort() }))
      .sort(byId(u => u.user_id)),
    keys: state.keys
      .map(({ created_at: _c, updated_at: _u, token: _t, ...k }) => k)
      .sort(byId(k => `${k.key_alias ?? ''}:${k.user_id ?? ''}`)),
  };
}

/** A `fetch` that counts the faults it saw: failures, 429 / 5xx answers and unreadable JSON. */
export function countingFetch(): { fetch: typeof fetch; faults: () => number } {
  let faults = 0;
  const counted: typeof fetch = async (input, init) => {
    let response: Response;
    try {
      response = await fetch(input, init);
    } catch (e) {
      faults += 1;
      throw e;
    }
    if (response.status === 429 || response.status >= 500) {
      faults += 1;
    } else if (response.ok && (response.headers.get('content-type') ?? '').includes('json')) {
      const text = await response.clone().text();
      try {
        JSON.parse(text);
      } catch {
        faults += 1;
      }
    }
    return response;
  };
  return { fetch: counted, faults: () => faults };
}

/** A write as comparable across two simulators: method, path and body. */
export const writeKey = (w: SimWrite): string => `${w.method} ${w.path} ${JSON.stringify(w.body)}`;

/** One fault kind: the rules aimed at a path prefix (or, for LiteLLM, at its whole API). */
export type FaultKind = { readonly kind: string; rules(path: string): FaultRule[] };

/** The fault kinds every HTTP source meets; `Retry-After: 0` keeps storms quick. */
export const sourceFaultKinds: readonly FaultKind[] = [
  {
    kind: '429 storm',
    rules: path => [{ path, status: 429, probability: 0.5, headers: { 'retry-after': '0' } }],
  },
  {
    kind: '5xx burst',
    rules: path => [
      { path, status: 503, times: 3, headers: { 'retry-after': '0' } },
      { path, status: 500, times: 2 },
    ],
  },
  { kind: 'timeout', rules: path => [{ path, status: 504, hangMs: 1_000, times: 2 }] },
  { kind: 'connection reset', rules: path => [{ path, status: 200, reset: true, times: 3 }] },
  {
    kind: 'truncated JSON',
    rules: path => [
      {
        path,
        status: 200,
        truncate: true,
        times: 1,
        body: { value: [{ id: 'u-ada', name: 'ada' }], items: [], users: [], data: [] },
      },
    ],
  },
];

/** Totals over the whole matrix, printed as its summary line. */
export type MatrixTally = {
  faults: number;
  runs: number;
  scenarios: number;
  differences: number;
  duplicates: number;
};

/** Runs `sync` until a run succeeds with nothing left to do (at most `max` runs). */
export async function converge(
  sync: () => Promise<RunReport>,
  tally: MatrixTally,
  max = 4,
): Promise<RunReport> {
  let last: RunReport | undefined;
  for (let i = 0; i < max; i += 1) {
    last = await sync();
    tally.runs += 1;
    if (last.status === 'succeeded' && (last.plan?.operations.length ?? 0) === 0) {
      return last;
    }
  }
  throw new Error(
    `no convergence after ${max} runs: ${JSON.stringify(last?.problems ?? last?.error)}`,
  );
}

/**
 * One key per member of a team-membership write, so two runs that added the same members in
 * other batches (a partial read, then the rest) compare equal, while a member added twice
 * still shows.
 */
export function memberWriteKeys(w: SimWrite): string[] {
  const body = w.body as { team_id?: unknown; member?: unknown } | null;
  if (!w.path.startsWith('/team/member_') || !Array.isArray(body?.member)) {
    return [writeKey(w)];
  }
  return body.member.map(m => `${w.method} ${w.path} ${String(body.team_id)} ${JSON.stringify(m)}`);
}

/** Writes whose key appears more often in `actual` than in `expected` (doubled writes). */
export function extraWrites(
  actual: readonly SimWrite[],
  expected: readonly SimWrite[],
  keysOf: (w: SimWrite) => string[] = w => [writeKey(w)],
): string[] {
  const budget = new Map<string, number>();
  expected.flatMap(keysOf).forEach(k => budget.set(k, (budget.get(k) ?? 0) + 1));
  const extra: string[] = [];
  for (const key of actual.flatMap(keysOf)) {
    const left = budget.get(key) ?? 0;
    if (left === 0) {
      extra.push(key);
    }
    budget.set(key, left - 1);
  }
  return extra;
}

/**
 * A faulted run on an empty LiteLLM, then recovery runs: the state must equal `reference`, and
 * the write log must hold the reference's writes, none lost and none twice. `keysOf` says what
 * one write is (default: one request; {@link memberWriteKeys} for a fault a run cannot see,
 * whose run adds some members before the next adds the rest).
 */
export async function expectFreshConverges(
  h: Harness,
  reference: Harness,
  run: { faulted: () => Promise<RunReport>; clean: () => Promise<RunReport>; clear: () => void },
  tally: MatrixTally,
  keysOf?: (w: SimWrite) => string[],
): Promise<void> {
  await run.faulted();
  tally.runs += 1;
  run.clear();
  await converge(run.clean, tally);
  const same =
    JSON.stringify(fullState(h.sim.state())) === JSON.stringify(fullState(reference.sim.state()));
  const extra = extraWrites(h.sim.writes(), reference.sim.writes(), keysOf);
  const missing = extraWrites(reference.sim.writes(), h.sim.writes(), keysOf);
  tally.differences += same ? 0 : 1;
  tally.duplicates += extra.length;
  expect(fullState(h.sim.state())).toEqual(fullState(reference.sim.state()));
  expect({ extra, missing }).toEqual({ extra: [], missing: [] });
}

/**
 * A faulted run over a LiteLLM already in step with the IdP: nothing may change, so an
 * incomplete read that was taken for a complete one (and deprovisioned) shows here.
 */
export async function expectSteadyUnchanged(
  h: Harness,
  run: { faulted: () => Promise<RunReport>; clear: () => void },
  tally: MatrixTally,
): Promise<RunReport> {
  const before = fullState(h.sim.state());
  const writes = h.sim.writes().length;
  const report = await run.faulted();
  tally.runs += 1;
  run.clear();
  const after = fullState(h.sim.state());
  tally.differences += JSON.stringify(after) === JSON.stringify(before) ? 0 : 1;
  expect(after).toEqual(before);
  expect(h.sim.writes().slice(writes).map(writeKey)).toEqual([]);
  return report;
}

/** A paging fault of the matrix (see `src/sim/shared/paging-faults.ts`). */
export type PagingFaultCase = { readonly kind: string; fault(path: string): PagingFault };

/**
 * The paging faults every paged source meets. Pages of one item make even the contract
 * directory's short lists span pages; a repeat never ends (only the client can end it), a skip
 * and a run of empty pages happen once per run.
 */
export const pagingFaultCases: readonly PagingFaultCase[] = [
  {
    kind: 'page repeating a cursor',
    fault: path => ({ kind: 'repeat-cursor', path, pageSize: 1 }),
  },
  {
    kind: 'page skipping a cursor',
    fault: path => ({ kind: 'skip-page', path, pageSize: 1, times: 1 }),
  },
  {
    kind: 'empty page with a next link',
    fault: path => ({ kind: 'empty-page', path, pageSize: 1, times: 3 }),
  },
];

/** Deps with DEPROVISION_CONFIRMATIONS at `confirmations` (the harness sets 1; 2 is the default). */
export function withConfirmations(confirmations: number): (deps: ReconcileDeps) => ReconcileDeps {
  return deps => ({
    ...deps,
    safety:
      deps.safety === undefined
        ? undefined
        : { ...deps.safety, lifecycle: { ...deps.safety.lifecycle, confirmations } },
  });
}

/** What deprovisioning takes away: the users, and each key with its blocked flag. */
export function provisioned(state: SimState): { users: string[]; keys: string[] } {
  return {
    users: state.users.map(u => u.user_id).sort(),
    keys: state.keys
      .map(k => `${k.user_id ?? ''}:${k.key_alias ?? ''}:${String(k.blocked)}`)
      .sort(),
  };
}

/** Writes (per member, see {@link memberWriteKeys}) whose key occurs more than once. */
export function repeatedWrites(writes: readonly SimWrite[]): string[] {
  const seen = new Set<string>();
  return writes.flatMap(memberWriteKeys).filter(key => seen.has(key) || (seen.add(key), false));
}

/**
 * A paging-faulted run over a LiteLLM already in step, under the default two confirmations,
 * then clean runs. A run that noticed the fault (not `succeeded`) must have written nothing;
 * one that could not notice it (a skipped page looks like a smaller directory) may have
 * dropped memberships, but must have deprovisioned no one. Either way the clean runs end in
 * the fault-free state, and no write in the window is applied twice.
 */
export async function expectPagingFaultHarmless(
  h: Harness,
  reference: Harness,
  run: { faulted: () => Promise<RunReport>; clean: () => Promise<RunReport>; clear: () => void },
  tally: MatrixTally,
): Promise<{ report: RunReport; writes: string[] }> {
  const before = h.sim.state();
  const start = h.sim.writes().length;
  const report = await run.faulted();
  tally.runs += 1;
  run.clear();
  const faultedWrites = h.sim.writes().slice(start);
  expect(provisioned(h.sim.state())).toEqual(provisioned(before));
  if (report.status !== 'succeeded') {
    expect(fullState(h.sim.state())).toEqual(fullState(before));
    expect(faultedWrites.map(writeKey)).toEqual([]);
  }
  await converge(run.clean, tally);
  const window = h.sim.writes().slice(start);
  const same =
    JSON.stringify(fullState(h.sim.state())) === JSON.stringify(fullState(reference.sim.state()));
  const repeated = repeatedWrites(window);
  tally.differences += same ? 0 : 1;
  tally.duplicates += repeated.length;
  expect(fullState(h.sim.state())).toEqual(fullState(reference.sim.state()));
  expect(repeated).toEqual([]);
  return { report, writes: window.map(writeKey) };
}
