/**
 * The engine alone at a given size (meant for L): a synthetic in-memory source (the Entra
 * generator's tenant, nested groups flattened), an in-memory LiteLLM (bench/memory-target.ts),
 * and the real reconcile: planner, SQLite store (a temporary file), safety gate and apply.
 * Two runs: initial provisioning, then a no-op full reconcile. Reported per run: peak RSS and CPU
 * of this process, and the planner's CPU time alone on the same inputs (best of 5).
 *
 * No HTTP and no latency: this measures memory and CPU, not calls or wall time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';

import type { IdpGroup, IdpUser } from '../src/model.js';
import { silentLogger } from '../src/log.js';
import { plan as computePlan } from '../src/reconcile/plan.js';
import { readTargetState } from '../src/reconcile/read-target.js';
import { reconcileFull } from '../src/reconcile/reconcile-full.js';
import type { ReconcileDeps } from '../src/reconcile/run-types.js';
import { generateTenant } from '../src/sim/entra/synthetic.js';
import type { Source } from '../src/sources/types.js';
import { createSqliteStore } from '../src/store/sqlite.js';
import { createMemoryTarget, fromIterable } from './memory-target.js';
import { collectGarbage, sampleRss, syncCpu, withCpu } from './measure.js';
import type { ScenarioSpec } from './scenarios.js';

export type EngineStep = {
  readonly step: string;
  readonly status: string;
  readonly planned: Record<string, number>;
  readonly writes: number;
  readonly wallMs: number;
  readonly engineCpuMs: number;
  readonly plannerCpuMs: number;
  readonly peakRssMb: number;
  /** RSS just before the run, after a full GC: node, the synthetic IdP data and the in-memory LiteLLM. */
  readonly residentMb: number;
  /**
   * V8 heap in use (after a full GC) before and after the run. After − before is what the run
   * left behind: for the initial run, the in-memory LiteLLM's new state (the store is SQLite).
   */
  readonly heapBeforeMb: number;
  readonly heapAfterMb: number;
};

export type EngineReport = {
  readonly scenario: ScenarioSpec;
  readonly generateMs: number;
  readonly startRssMb: number;
  /** After the synthetic tenant is built and garbage collected: what the source's data costs. */
  readonly baselineRssMb: number;
  readonly steps: readonly EngineStep[];
  readonly processPeakRssMb: number;
};

/** The tenant as an IdP snapshot would hold it: users by id, in-scope groups with flattened members. */
export function syntheticDirectory(spec: ScenarioSpec): { users: IdpUser[]; groups: IdpGroup[] } {
  const tenant = generateTenant({
    users: spec.users,
    groups: spec.groups,
    memberships: spec.memberships,
    nestedGroups: spec.nestedGroups,
    groupPrefix: 'ai-team-',
    seed: 42,
  });
  const groupIds = new Set((tenant.groups ?? []).map(g => g.id ?? ''));
  const direct = new Map((tenant.groups ?? []).map(g => [g.id ?? '', g.members ?? []]));
  const flat = new Map<string, Set<string>>();
  const flatten = (id: string): Set<string> => {
    const done = flat.get(id);
    if (done !== undefined) {
      return done;
    }
    const out = new Set<string>();
    flat.set(id, out);
    for (const member of direct.get(id) ?? []) {
      if (groupIds.has(member)) {
        for (const nested of flatten(member)) {
          out.add(nested);
        }
      } else {
        out.add(member);
      }
    }
    return out;
  };
  return {
    users: (tenant.users ?? []).map(u => ({
      externalId: u.id ?? '',
      login: u.userPrincipalName ?? '',
      email: u.mail ?? undefined,
      displayName: u.displayName ?? undefined,
      active: u.accountEnabled !== false,
    })),
    groups: (tenant.groups ?? []).map(g => ({
      externalId: g.id ?? '',
      name: g.displayName ?? '',
      memberIds: [...flatten(g.id ?? '')],
    })),
  };
}

function memorySource(directory: { users: IdpUser[]; groups: IdpGroup[] }): Source {
  return {
    name: 'entra',
    listGroups: () => fromIterable(() => directory.groups),
    listUsers: () => fromIterable(() => directory.users),
    readUser: subject => Promise.resolve({ kind: 'deleted', source: 'entra', subject }),
  };
}

export async function runEngine(
  spec: ScenarioSpec,
  log: (line: string) => void,
): Promise<EngineReport> {
  const rss = sampleRss(100);
  const startRssMb = process.memoryUsage.rss() / 2 ** 20;
  const generated = performance.now();
  const directory = syntheticDirectory(spec);
  const generateMs = performance.now() - generated;
  collectGarbage();
  const baselineRssMb = process.memoryUsage.rss() / 2 ** 20;
  log(
    `${spec.name} engine: start ${startRssMb.toFixed(0)} MB; synthetic tenant in ${(generateMs / 1000).toFixed(1)} s, RSS ${(process.memoryUsage.rss() / 2 ** 20).toFixed(0)} MB`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'idp-sync-bench-engine-'));
  const store = createSqliteStore(join(dir, 'engine.db'));
  const target = createMemoryTarget();
  const deps: ReconcileDeps = {
    source: memorySource(directory),
    target,
    store,
    logger: silentLogger(),
    rules: {
      userIdAttribute: 'externalId',
      defaultUserRole: 'internal_user',
      userRoleRules: [],
      teamTemplates: [],
    },
    threshold: { maxCount: 25, maxPercent: 20 },
    concurrency: 8,
    newRunId: randomUUID,
    now: () => new Date(),
  };
  const steps: EngineStep[] = [];
  try {
    for (const step of ['initial', 'no-op full']) {
      const writesBefore = target.writes();
      // The planner replay needs the run's inputs; read before the run only while LiteLLM is
      // empty (cheap), else after the no-op run (nothing changed), so they do not inflate its RSS.
      const early =
        writesBefore === 0
          ? { state: await readTargetState(target), ownership: store.ownership('entra') }
          : undefined;
      collectGarbage();
      const residentMb = process.memoryUsage.rss() / 2 ** 20;
      const heapBeforeMb = process.memoryUsage().heapUsed / 2 ** 20;
      const measured = await withCpu(() =>
        reconcileFull(deps, { dryRun: false, force: false, trigger: 'manual' }),
      );
      collectGarbage();
      const heapAfterMb = process.memoryUsage().heapUsed / 2 ** 20;
      const { state: before, ownership } = early ?? {
        state: await readTargetState(target),
        ownership: store.ownership('entra'),
      };
      const users = new Map(directory.users.map(u => [u.externalId, u]));
      const planner = syncCpu(
        () =>
          computePlan({
            source: 'entra',
            scope: { kind: 'full', complete: true },
            lifecycle: undefined,
            users,
            groups: directory.groups,
            teams: before.teams,
            litellmUsers: before.users,
            ownership,
            rules: deps.rules,
          }),
        5,
      );
      const report = measured.value;
      steps.push({
        step,
        status: report.error ?? report.refusedBecause ?? report.status,
        planned: report.plan?.counts ?? {},
        writes: target.writes() - writesBefore,
        wallMs: measured.wallMs,
        engineCpuMs: measured.cpuMs,
        plannerCpuMs: planner.cpuMs,
        peakRssMb: measured.peakRssBytes / 2 ** 20,
        residentMb,
        heapBeforeMb,
        heapAfterMb,
      });
      log(
        `${spec.name} engine ${step}: ${report.status}, CPU ${(measured.cpuMs / 1000).toFixed(1)} s, planner ${planner.cpuMs.toFixed(0)} ms, peak RSS ${(measured.peakRssBytes / 2 ** 20).toFixed(0)} MB (resident before ${residentMb.toFixed(0)} MB)`,
      );
    }
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    scenario: spec,
    generateMs,
    startRssMb,
    baselineRssMb,
    steps,
    processPeakRssMb: rss.stop() / 2 ** 20,
  };
}
