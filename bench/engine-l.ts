/**
 * The engine at a given size (meant for L) without the IdP's paging: a synthetic in-memory source
 * (the Entra generator's tenant, nested groups flattened) standing in for the snapshot, the
 * LiteLLM simulator with no latency in a process of its own (bench/litellm-process.ts) reached
 * through the real HTTP client, and the real reconcile: planner, SQLite store (a temporary file
 * shared by the steps), safety gate and apply.
 *
 * Two runs, initial provisioning then a no-op full reconcile, **each in a fresh process**: V8
 * keeps the pages a process once used, so a second run in the same process would report the
 * first one's high-water mark. Reported per run: peak RSS and CPU of that process, and the
 * planner's CPU time alone on the same inputs (best of 5).
 *
 * No latency: this measures memory and CPU, not wall time against the bound.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
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
import { createLiteLLMClient } from '../src/target/litellm/client.js';
import { fromIterable } from './memory-target.js';
import { collectGarbage, syncCpu, withCpu } from './measure.js';
import type { ScenarioSpec } from './scenarios.js';

/** The runs measured, each in its own process. */
export const engineSteps = ['initial', 'no-op full'] as const;
export type EngineStepName = (typeof engineSteps)[number];

export type EngineStep = {
  readonly step: EngineStepName;
  /** This step's process: RSS at start, and after the synthetic tenant is built (GC'd). */
  readonly startRssMb: number;
  readonly baselineRssMb: number;
  readonly generateMs: number;
  /** LiteLLM calls the run made by endpoint (from the client's call hook). */
  readonly calls: Record<string, number>;
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
  readonly steps: readonly EngineStep[];
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

const rules: ReconcileDeps['rules'] = {
  userIdAttribute: 'externalId',
  defaultUserRole: 'internal_user',
  userRoleRules: [],
  teamTemplates: [],
};

/** Where the steps' processes find LiteLLM and the store. */
type Shared = { readonly litellmUrl: string; readonly masterKey: string; readonly dbPath: string };

/**
 * Runs every step, each in a child process running this module's {@link runEngineStep} (through
 * `bench/main.ts --engine-step`), against one LiteLLM simulator process and one store file.
 */
export async function runEngine(
  spec: ScenarioSpec,
  log: (line: string) => void,
): Promise<EngineReport> {
  const dir = mkdtempSync(join(tmpdir(), 'idp-sync-bench-engine-'));
  const sim = fork(fileURLToPath(new URL('./litellm-process.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx', '--max-old-space-size=4096'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const { url, masterKey } = await firstMessage(sim);
    const shared = { litellmUrl: url, masterKey, dbPath: join(dir, 'engine.db') };
    const steps: EngineStep[] = [];
    for (const step of engineSteps) {
      log(`${spec.name} engine ${step}: a fresh process`);
      steps.push(await inChild(spec, step, shared));
    }
    return { scenario: spec, steps };
  } finally {
    sim.disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}

function firstMessage(child: ChildProcess): Promise<{ url: string; masterKey: string }> {
  return new Promise((resolvePromise, reject) => {
    child.once('message', message => {
      resolvePromise(message as { url: string; masterKey: string });
    });
    child.once('exit', code => {
      reject(new Error(`the LiteLLM simulator process exited (${String(code)})`));
    });
  });
}

function inChild(spec: ScenarioSpec, step: EngineStepName, shared: Shared): Promise<EngineStep> {
  const script = process.argv[1] ?? 'bench/main.ts';
  const args = ['--engine', '--engine-step', step, '--scenario', spec.name, '--json'];
  const child = spawn(process.execPath, [...process.execArgv, script, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...process.env,
      BENCH_LITELLM_URL: shared.litellmUrl,
      BENCH_LITELLM_KEY: shared.masterKey,
      BENCH_DB: shared.dbPath,
    },
  });
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    out += chunk;
  });
  return new Promise((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('close', code => {
      try {
        resolvePromise(JSON.parse(out) as EngineStep);
      } catch (error) {
        reject(
          new Error(`engine step ${step} exited ${String(code)} without a report`, {
            cause: error,
          }),
        );
      }
    });
  });
}

/** The shared LiteLLM and store of {@link runEngine}, as its step processes receive them. */
function sharedFromEnv(): Shared {
  const { BENCH_LITELLM_URL, BENCH_LITELLM_KEY, BENCH_DB } = process.env;
  if (
    BENCH_LITELLM_URL === undefined ||
    BENCH_LITELLM_KEY === undefined ||
    BENCH_DB === undefined
  ) {
    throw new Error('an engine step runs under `npm run bench -- --engine` (BENCH_* not set)');
  }
  return { litellmUrl: BENCH_LITELLM_URL, masterKey: BENCH_LITELLM_KEY, dbPath: BENCH_DB };
}

/** One step, in this process: build the tenant, run the reconcile, replay the planner. */
export async function runEngineStep(
  spec: ScenarioSpec,
  step: EngineStepName,
  log: (line: string) => void,
): Promise<EngineStep> {
  const shared = sharedFromEnv();
  const startRssMb = process.memoryUsage.rss() / 2 ** 20;
  const generated = performance.now();
  const directory = syntheticDirectory(spec);
  const generateMs = performance.now() - generated;
  collectGarbage();
  const baselineRssMb = process.memoryUsage.rss() / 2 ** 20;
  const store = createSqliteStore(shared.dbPath);
  const calls: Record<string, number> = {};
  const target = createLiteLLMClient(
    { baseUrl: shared.litellmUrl, masterKey: shared.masterKey, concurrency: 8 },
    {
      fetch: globalThis.fetch,
      logger: silentLogger(),
      onCall: endpoint => {
        calls[endpoint] = (calls[endpoint] ?? 0) + 1;
      },
    },
  );
  const deps: ReconcileDeps = {
    source: memorySource(directory),
    target,
    store,
    logger: silentLogger(),
    rules,
    // The benchmark provisions from nothing and removes nothing: no threshold can trip.
    threshold: { maxCount: 25, maxPercent: 20 },
    concurrency: 8,
    newRunId: randomUUID,
    now: () => new Date(),
  };
  try {
    collectGarbage();
    const heapBeforeMb = process.memoryUsage().heapUsed / 2 ** 20;
    const residentMb = process.memoryUsage.rss() / 2 ** 20;
    const measured = await withCpu(() =>
      reconcileFull(deps, { dryRun: false, force: false, trigger: 'manual' }),
    );
    collectGarbage();
    const heapAfterMb = process.memoryUsage().heapUsed / 2 ** 20;
    const writes = Object.entries(calls)
      .filter(([endpoint]) => endpoint.startsWith('POST '))
      .reduce((n, [, count]) => n + count, 0);
    const runCalls = { ...calls };
    const planner = await replayPlanner(directory, deps, step === 'initial');
    const report = measured.value;
    log(
      `${spec.name} engine ${step}: ${report.status}, CPU ${(measured.cpuMs / 1000).toFixed(1)} s, planner ${planner.toFixed(0)} ms, peak RSS ${(measured.peakRssBytes / 2 ** 20).toFixed(0)} MB (resident before ${residentMb.toFixed(0)} MB)`,
    );
    return {
      step,
      startRssMb,
      baselineRssMb,
      generateMs,
      calls: runCalls,
      status: report.error ?? report.refusedBecause ?? report.status,
      planned: report.plan?.counts ?? {},
      writes,
      wallMs: measured.wallMs,
      engineCpuMs: measured.cpuMs,
      plannerCpuMs: planner,
      peakRssMb: measured.peakRssBytes / 2 ** 20,
      residentMb,
      heapBeforeMb,
      heapAfterMb,
    };
  } finally {
    store.close();
  }
}
/**
 * The planner's CPU on the run's inputs, best of 5. For the initial run the inputs are the empty
 * LiteLLM and store it started from; for the no-op, the state after it (unchanged).
 */
async function replayPlanner(
  directory: { users: IdpUser[]; groups: IdpGroup[] },
  deps: ReconcileDeps,
  fromEmpty: boolean,
): Promise<number> {
  const state = fromEmpty ? { teams: new Map(), users: [] } : await readTargetState(deps.target);
  const ownership = fromEmpty
    ? { teams: new Map(), users: new Map(), grants: new Map() }
    : deps.store.ownership('entra');
  const users = new Map(directory.users.map(u => [u.externalId, u]));
  return syncCpu(
    () =>
      computePlan({
        source: 'entra',
        scope: { kind: 'full', complete: true },
        lifecycle: undefined,
        users,
        groups: directory.groups,
        teams: state.teams,
        litellmUsers: state.users,
        ownership,
        rules: deps.rules,
      }),
    5,
  ).cpuMs;
}
