/**
 * Issue 11, part 1 (the write side): LiteLLM under 429 storms, 5xx bursts, timeouts, resets,
 * truncated and non-JSON pages, half of its writes failing, and acknowledgements lost after a
 * commit. The file source feeds it; the end state and write log must match the fault-free run.
 * Also the file source's own faults: a directory file cut short, emptied or missing.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { loadConfig } from '../../config/load.js';
import { createAppContext } from '../../src/cli/context.js';
import { silentLogger } from '../../src/log.js';
import { reconcileFull } from '../../src/reconcile/reconcile-full.js';
import type { RunReport } from '../../src/reconcile/run-types.js';
import type { FaultRule } from '../../src/sim/shared/fault-rule.js';
import { startHarness, type Directory, type Harness } from '../helpers/harness.js';
import {
  countingFetch,
  expectFreshConverges,
  expectSteadyUnchanged,
  type MatrixTally,
} from './fault-kit.js';

const tally: MatrixTally = { faults: 0, runs: 0, scenarios: 0, differences: 0, duplicates: 0 };

const directory: Directory = {
  users: Array.from({ length: 14 }, (_, i) => ({
    id: `u${i}`,
    email: `u${i}@example.com`,
    name: `User ${i}`,
  })),
  groups: [
    { id: 'g-a', name: 'ai-a', members: ['u0', 'u1', 'u2', 'u3', 'u4'] },
    { id: 'g-b', name: 'ai-b', members: ['u5', 'u6', 'u7'], groups: ['g-c'] },
    { id: 'g-c', name: 'ai-c', members: ['u8', 'u9', 'u10', 'u11'] },
    { id: 'g-d', name: 'ai-d', members: ['u12', 'u13', 'u0'] },
  ],
};

/** Timeout of one LiteLLM attempt in these runs; `hangMs` above it is a timeout. */
const timeoutMs = 250;

type LiteLLMFault = { kind: string; rules: FaultRule[]; ackLost?: readonly number[] };

const litellmFaults: readonly LiteLLMFault[] = [
  {
    kind: '429 storm',
    rules: [{ status: 429, probability: 0.5, headers: { 'retry-after': '0' } }],
  },
  {
    kind: '5xx burst on reads',
    rules: [
      { method: 'GET', status: 500, times: 4 },
      { method: 'GET', status: 503, times: 3 },
    ],
  },
  { kind: 'timeouts', rules: [{ status: 504, hangMs: 1_000, times: 3 }] },
  { kind: 'connection resets', rules: [{ status: 200, reset: true, times: 4 }] },
  {
    kind: 'truncated list page',
    rules: [
      { method: 'GET', status: 200, truncate: true, times: 2, body: { teams: [], total: 0 } },
    ],
  },
  {
    kind: 'HTML error page',
    rules: [
      {
        status: 502,
        times: 3,
        body: '<html><body><h1>502 Bad Gateway</h1></body></html>',
        headers: { 'content-type': 'text/html' },
      },
    ],
  },
  { kind: 'half of writes failing', rules: [{ method: 'POST', status: 500, probability: 0.5 }] },
  // The write commits, then its answer comes too late: the client cannot know it landed.
  { kind: 'acknowledgement lost after commit', rules: [], ackLost: [1, 3, 6, 10] },
];

describe('LiteLLM under faults (file source)', () => {
  let reference: Harness;
  const harnesses: Harness[] = [];
  beforeAll(async () => {
    reference = await startHarness();
    harnesses.push(reference);
    reference.writeDirectory(directory);
    expect((await reference.sync()).status).toBe('succeeded');
  });
  afterAll(async () => {
    await Promise.all(harnesses.map(h => h.close()));
    console.log(
      `fault matrix (LiteLLM + file): faults injected ${tally.faults}, scenarios ${tally.scenarios}, runs ${tally.runs}, state differences ${tally.differences}, duplicate writes ${tally.duplicates}`,
    );
  });

  it.each(litellmFaults)(
    '$kind: same state and writes as the fault-free run; a steady run changes nothing',
    async fault => {
      const h = await startHarness({ pageSize: 3 });
      harnesses.push(h);
      h.writeDirectory(directory);
      const counter = countingFetch();
      const app = createAppContext(loadConfig(h.env), {
        logger: silentLogger(),
        fetch: counter.fetch,
        litellm: { pageSize: 3, timeoutMs, retry: { baseMs: 1, maxMs: 20 } },
      });
      let lateAcks = 0;
      const arm = () => {
        h.sim.setFaults(fault.rules);
        h.sim.onWrite(async (_write, count) => {
          if (fault.ackLost?.includes(count - base) === true) {
            lateAcks += 1;
            await new Promise(resolve => setTimeout(resolve, timeoutMs * 2));
          }
        });
      };
      let base = 0;
      const faulted = (): Promise<RunReport> => {
        base = h.sim.writes().length;
        arm();
        return reconcileFull(app.depsFor('file'), {
          dryRun: false,
          force: false,
          trigger: 'manual',
        });
      };
      const clear = () => {
        h.sim.clearFaults();
        h.sim.onWrite(undefined);
      };
      try {
        await expectFreshConverges(h, reference, { faulted, clean: () => h.sync(), clear }, tally);
        await expectSteadyUnchanged(h, { faulted, clear }, tally);
      } finally {
        app.close();
      }
      tally.scenarios += 1;
      tally.faults += counter.faults() + lateAcks;
      expect(counter.faults() + lateAcks).toBeGreaterThan(0);
    },
  );

  it.each([
    {
      kind: 'directory file cut short',
      spoil: (path: string, text: string) =>
        writeFileSync(path, text.slice(0, Math.floor(text.length / 2))),
    },
    { kind: 'directory file emptied', spoil: (path: string) => writeFileSync(path, '') },
    { kind: 'directory file missing', spoil: (path: string) => rmSync(path) },
  ])(
    'file source, $kind: nothing is deprovisioned, and the next good read converges',
    async ({ spoil }) => {
      const h = await startHarness();
      harnesses.push(h);
      h.writeDirectory(directory);
      expect((await h.sync()).status).toBe('succeeded');
      const path = join(h.dir, 'directory.yaml');
      const text = (await import('node:fs')).readFileSync(path, 'utf8');
      const report = await expectSteadyUnchanged(
        h,
        { faulted: () => (spoil(path, text), h.sync()), clear: () => {} },
        tally,
      );
      expect(report.status).not.toBe('succeeded');
      h.writeDirectory(directory);
      expect((await h.sync()).plan?.operations).toEqual([]);
      tally.scenarios += 1;
      tally.faults += 1;
    },
  );
});
