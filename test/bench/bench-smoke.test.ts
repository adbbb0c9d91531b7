/**
 * Smoke test of `npm run bench`: the XS scenario completes and prints a well-formed report, against
 * the Entra simulator and against the Okta one (`--idp okta`).
 * No timing is asserted (benchmarks measure, tests check behaviour): only that every step ran,
 * that the call counts are there, and that a no-op run wrote nothing.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

import { describe, expect, it } from 'vitest';

import type { ScenarioReport } from '../../bench/harness.js';

const root = resolve(import.meta.dirname, '../..');

/** Runs `bench/main.ts` on XS with 1 ms latency and returns its JSON report. */
function runXs(...extra: string[]): ScenarioReport {
  const run = spawnSync(
    process.execPath,
    [
      'scripts/with-test-ca.js',
      'tsx',
      'bench/main.ts',
      '--scenario',
      'XS',
      ...extra,
      '--latency',
      '1',
      '--json',
    ],
    {
      cwd: root,
      encoding: 'utf8',
      timeout: 25_000,
    },
  );
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as ScenarioReport;
}

/** Every step ran and counted calls, and the no-op runs wrote nothing. */
function expectWellFormed(report: ScenarioReport): void {
  expect(report.scenario.name).toBe('XS');
  expect(report.steps.map(s => s.step)).toEqual([
    'initial',
    'no-op full',
    'no-op delta',
    'churn 1% delta',
  ]);
  for (const step of report.steps) {
    expect(step.status).toBe('succeeded');
    expect(step.totals.idpCalls).toBeGreaterThan(0);
    expect(step.lowerBoundMs).toBeGreaterThan(0);
    expect(step.peakRssMb).toBeGreaterThan(0);
  }
  const [initial, noopFull, noopDelta] = report.steps;
  expect(initial?.totals.litellmWrites).toBeGreaterThan(0);
  expect(noopFull?.totals.litellmWrites).toBe(0);
  expect(noopDelta?.totals.litellmWrites).toBe(0);
}

describe('npm run bench', () => {
  it('runs the XS scenario and prints a JSON report with every step', () => {
    const report = runXs();
    expectWellFormed(report);
    expect(report.settings.idp).toBe('entra');
  }, 30_000);

  it('runs the XS scenario against the Okta simulator', () => {
    const report = runXs('--idp', 'okta');
    expectWellFormed(report);
    expect(report.settings.idp).toBe('okta');
    // Okta's read bound names what binds it (latency or the rate limits).
    expect(report.steps[0]?.minimum.okta?.binds).toMatch(/^(latency|rate limit)$/);
  }, 30_000);
});
