/**
 * Issue 11, part 1: every IdP source and LiteLLM under the simulators' fault knobs. For each
 * source × fault kind: a faulted first sync plus recovery ends in the fault-free state with the
 * fault-free write log (nothing lost, nothing twice), and a faulted sync over a LiteLLM already
 * in step changes nothing (an incomplete read never deprovisions).
 */
import { afterAll, describe, expect, it } from 'vitest';

import type { ReconcileDeps, RunReport } from '../../src/reconcile/run-types.js';
import { sourceFactories } from '../../src/sources/index.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { rigNames, startRig, type SourceRig } from '../helpers/source-rigs.js';
import {
  countingFetch,
  expectFreshConverges,
  expectPagingFaultHarmless,
  expectSteadyUnchanged,
  memberWriteKeys,
  pagingFaultCases,
  sourceFaultKinds,
  withConfirmations,
  type MatrixTally,
} from './fault-kit.js';

export const sourceTally: MatrixTally = {
  faults: 0,
  runs: 0,
  scenarios: 0,
  differences: 0,
  duplicates: 0,
};

/** The paging faults' share of the matrix, printed on a line of its own. */
export const pagingTally: MatrixTally = {
  faults: 0,
  runs: 0,
  scenarios: 0,
  differences: 0,
  duplicates: 0,
};

/** A full sync of `h`'s LiteLLM from `rig`, through `doFetch`, its deps adjusted by `adjust`. */
function syncFrom(
  h: Harness,
  rig: SourceRig,
  doFetch?: typeof fetch,
  adjust: (deps: ReconcileDeps) => ReconcileDeps = d => d,
): () => Promise<RunReport> {
  return () =>
    h.sync({
      deps: (d: ReconcileDeps) =>
        adjust({
          ...d,
          source: rig.source(d.store, doFetch),
          rules: {
            ...d.rules,
            userIdAttribute:
              sourceFactories[rig.name]?.defaultUserIdAttribute ?? d.rules.userIdAttribute,
          },
        }),
    });
}

// `RELIABILITY_RIGS=okta,entra` narrows the matrix while debugging one source.
const only = process.env.RELIABILITY_RIGS?.split(',');
const rigs = rigNames.filter(n => only === undefined || only.includes(n));

describe.each(rigs)('the %s source under faults', name => {
  let rig: SourceRig;
  let reference: Harness;
  const harnesses: Harness[] = [];

  afterAll(async () => {
    await Promise.all(harnesses.map(h => h.close()));
    await rig.close();
  });

  it('syncs the fault-free reference', async () => {
    rig = await startRig(name);
    reference = await startHarness();
    harnesses.push(reference);
    const report = await syncFrom(reference, rig)();
    expect(report.status).toBe('succeeded');
    // Three in-scope groups and the users in them: there is something to lose.
    expect(reference.sim.state().teams.length).toBeGreaterThanOrEqual(3);
    expect((await syncFrom(reference, rig)()).plan?.operations).toEqual([]);
  });

  it.each(sourceFaultKinds)(
    '$kind: same state and writes as the fault-free run; a steady run changes nothing',
    async fault => {
      const h = await startHarness();
      harnesses.push(h);
      const counter = countingFetch();
      const faulted = () => {
        rig.setFaults(fault.rules(rig.apiPath));
        return syncFrom(h, rig, counter.fetch)();
      };
      const clear = () => rig.clearFaults();
      await expectFreshConverges(
        h,
        reference,
        { faulted, clean: syncFrom(h, rig), clear },
        sourceTally,
      );
      const steady = await expectSteadyUnchanged(h, { faulted, clear }, sourceTally);
      // A run that could not read everything says so instead of passing for complete.
      expect(['succeeded', 'incomplete', 'failed']).toContain(steady.status);
      sourceTally.scenarios += 1;
      sourceTally.faults += counter.faults();
      if (rig.usesInjectedFetch) {
        expect(counter.faults()).toBeGreaterThan(0);
      }
    },
  );

  // Under the default two confirmations: a skipped page is invisible to a source without a
  // stated total (Graph, Okta, Google, Keycloak, Auth0's checkpoint lists), so one such read
  // must deprovision no one, and the next clean read must put everything back.
  it.each(pagingFaultCases)(
    '$kind: same state and writes as the fault-free run; a steady run deprovisions no one',
    async paging => {
      const h = await startHarness();
      harnesses.push(h);
      const firedBefore = rig.pagingFaultsFired();
      const sync = syncFrom(h, rig, undefined, withConfirmations(2));
      const faulted = () => {
        rig.setPagingFault(paging.fault(rig.apiPath));
        return sync();
      };
      const run = { faulted, clean: sync, clear: () => rig.clearPagingFault() };
      await expectFreshConverges(h, reference, run, pagingTally, memberWriteKeys);
      await expectPagingFaultHarmless(h, reference, run, pagingTally);
      const fired = rig.pagingFaultsFired() - firedBefore;
      pagingTally.scenarios += 1;
      pagingTally.faults += fired;
      expect(fired).toBeGreaterThan(0);
    },
  );
});

afterAll(() => {
  const line = (what: string, t: MatrixTally) =>
    `fault matrix (${what}): faults injected ${t.faults}, scenarios ${t.scenarios}, runs ${t.runs}, state differences ${t.differences}, duplicate writes ${t.duplicates}`;
  console.log(line('sources', sourceTally));
  console.log(line('paging', pagingTally));
});
