/**
 * Smoke test of `npm run bench`: the XS scenario completes and prints a well-formed report.
 * No timing is asserted (benchmarks measure, tests check behaviour): only that every step ran,
 * that the call counts are there, and that a no-op run wrote nothing.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

import { describe, expect, it } from 'vitest';

import type { ScenarioReport } from '../../bench/harness.js';

const root = resolve(import.meta.dirname, '../..');

describe('npm run bench', () => {
  it('runs the XS scenario and prints a JSON report with every step', () => {
    const run = spawnSync(
      process.execPath,
      [
        'scripts/with-test-ca.js',
        'tsx',
        'bench/main.ts',
        '--scenario',
        'XS',
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
    const report = JSON.parse(run.stdout) as ScenarioReport;
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
  }, 30_000);
});
