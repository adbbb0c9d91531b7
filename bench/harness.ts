/**
 * One benchmark scenario end to end: simulators in a child process (bench/sims.ts), the engine in
 * this process, built the way the CLI builds it (loadConfig → createAppContext), then:
 * initial provisioning, a no-op full reconcile, a no-op delta reconcile, and a delta reconcile
 * after 1 % churn. The IdP is the Entra simulator, or Okta's with `idp: 'okta'`. Each step reports calls by endpoint next to the minimum, wall time next to the
 * lower bound, peak RSS and CPU time of this process, and the planner's own CPU time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';

import { loadConfig } from '../config/load.js';
import { createAppContext, type AppContext } from '../src/cli/context.js';
import { silentLogger } from '../src/log.js';
import { plan as computePlan } from '../src/reconcile/plan.js';
import { readTargetState } from '../src/reconcile/read-target.js';
import { reconcileFull } from '../src/reconcile/reconcile-full.js';
import type { ReconcileDeps, RunReport } from '../src/reconcile/run-types.js';
import type { IdpGroup, IdpUser } from '../src/model.js';
import { minimum, oktaDefaultShare, type Minimum, type OktaBoundInput } from './bounds.js';
import { diffCounts, sum, syncCpu, withCpu } from './measure.js';
import type { ChurnResult, IdpName, SimCounters, SimInfo } from './protocol.js';
import type { ScenarioSpec } from './scenarios.js';
import { forkSims, type SimClient } from './sim-client.js';

export type BenchOptions = {
  /** @defaultValue 'entra' */
  readonly idp?: IdpName | undefined;
  readonly latencyMs: number;
  readonly applyConcurrency: number;
  readonly litellmConcurrency: number;
  readonly churnShare: number;
  readonly log?: ((line: string) => void) | undefined;
};

export type StepReport = {
  readonly step: string;
  readonly mode: 'full' | 'incremental';
  readonly status: string;
  readonly planned: Record<string, number>;
  readonly calls: {
    readonly idp: Record<string, number>;
    readonly litellm: Record<string, number>;
  };
  readonly totals: {
    readonly idpCalls: number;
    readonly litellmCalls: number;
    readonly litellmWrites: number;
  };
  readonly minimum: Minimum & { readonly idpCalls: number; readonly litellmCalls: number };
  readonly wallMs: number;
  readonly lowerBoundMs: number;
  readonly ratio: number;
  readonly peakRssMb: number;
  readonly engineCpuMs: number;
  readonly plannerCpuMs: number;
  readonly simRssMb: number;
  /** CPU time of the simulator process during the step: on a busy machine, engine + simulators compete for cores. */
  readonly simCpuMs: number;
  /** Graph resource units used (Entra only). */
  readonly resourceUnits?: number | undefined;
  /** 429 answers by endpoint (Okta only: its rate limits are on). */
  readonly idpThrottled?: Record<string, number> | undefined;
};

export type ScenarioReport = {
  readonly scenario: ScenarioSpec;
  readonly settings: BenchOptions & { readonly graphConcurrency: number };
  readonly setupMs: number;
  readonly churn?: ChurnResult | undefined;
  readonly steps: readonly StepReport[];
};

const graphConcurrency = 4;
/** The Okta source's default `concurrency` (member lists read at once). */
const oktaConcurrency = 4;

export async function runScenario(
  spec: ScenarioSpec,
  options: BenchOptions,
): Promise<ScenarioReport> {
  const log = options.log ?? (() => undefined);
  const sims = forkSims();
  const dir = mkdtempSync(join(tmpdir(), 'idp-sync-bench-'));
  let app: AppContext | undefined;
  try {
    const setupStarted = performance.now();
    const info = await sims.start({
      cmd: 'start',
      idp: options.idp ?? 'entra',
      ...pick(spec),
      latencyMs: options.latencyMs,
      sampleUsers: 0,
    });
    const setupMs = performance.now() - setupStarted;
    log(`${spec.name}: simulators up in ${(setupMs / 1000).toFixed(1)} s`);
    app = createAppContext(loadConfig(benchEnv(info, join(dir, 'bench.db'), options)), {
      logger: silentLogger(),
    });
    const steps: StepReport[] = [];
    const idpSize: IdpSize = {
      users: spec.users,
      groups: spec.groups,
      membersPerGroup: Math.round(spec.memberships / Math.max(1, spec.groups)),
      changedGroups: 0,
      changedUsers: 0,
    };
    const step = async (name: string, mode: 'full' | 'incremental'): Promise<void> => {
      const report = await measureStep(
        app as AppContext,
        sims,
        info.idp,
        name,
        mode,
        idpSize,
        options,
      );
      log(
        `${spec.name} ${name}: ${report.status}, ${report.totals.idpCalls} IdP + ${report.totals.litellmCalls} LiteLLM calls, ${(report.wallMs / 1000).toFixed(1)} s (bound ${(report.lowerBoundMs / 1000).toFixed(1)} s)`,
      );
      steps.push(report);
    };
    await step('initial', 'full');
    await step('no-op full', 'full');
    await step('no-op delta', 'incremental');
    const churn = await sims.churn(options.churnShare, 7);
    idpSize.users += churn.newUsers;
    idpSize.changedGroups = churn.changedGroups ?? 0;
    idpSize.changedUsers = churn.newUsers;
    await step(`churn ${options.churnShare * 100}% delta`, 'incremental');
    return {
      scenario: spec,
      settings: { ...options, log: undefined, graphConcurrency },
      setupMs,
      churn,
      steps,
    };
  } finally {
    app?.close();
    await sims.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function pick(spec: ScenarioSpec) {
  return {
    users: spec.users,
    groups: spec.groups,
    memberships: spec.memberships,
    nestedGroups: spec.nestedGroups,
  };
}

/** What the IdP holds, for the minimum of the next step (the last three matter to Okta only). */
type IdpSize = {
  users: number;
  groups: number;
  membersPerGroup: number;
  /** Groups and users changed since the previous read (churn). */
  changedGroups: number;
  changedUsers: number;
};

/** The environment `idp-sync` would run with against these simulators. */
export function benchEnv(
  info: SimInfo,
  dbPath: string,
  options: Pick<BenchOptions, 'applyConcurrency' | 'litellmConcurrency'>,
): Record<string, string> {
  return {
    LITELLM_BASE_URL: info.litellm.url,
    LITELLM_MASTER_KEY: info.litellm.masterKey,
    LITELLM_CONCURRENCY: String(options.litellmConcurrency),
    APPLY_CONCURRENCY: String(options.applyConcurrency),
    ...idpEnv(info),
    IDP_SYNC_DB: dbPath,
    IDP_SYNC_CONFIG: '',
    LOG_LEVEL: 'silent',
    // Initial provisioning removes nothing; churn has no leavers, and what it removes is applied
    // at once, so that its cost is measured.
    DEPROVISION_CONFIRMATIONS: '1',
    // 1 % churn at L removes ~520 memberships, over the default circuit breaker (REMOVAL_MAX 100):
    // the benchmark measures applying them; the breaker has its own tests.
    REMOVAL_MAX: '0',
    REMOVAL_MAX_PERCENT: '0',
  };
}

/**
 * The source's variables. Okta: SSWS token, plain http to 127.0.0.1 (the source accepts any
 * http(s) org URL, and the SDK checks none), `OKTA_RATE_LIMIT_SHARE` left at its default.
 */
function idpEnv(info: SimInfo): Record<string, string> {
  if (info.idp === 'okta') {
    return {
      IDP_SOURCES: 'okta',
      OKTA_ORG_URL: info.okta.url,
      OKTA_API_TOKEN: info.okta.apiToken,
      OKTA_GROUP_NAME_PREFIX: 'ai-team-',
    };
  }
  return {
    IDP_SOURCES: 'entra',
    ENTRA_TENANT_ID: info.entra.tenantId,
    ENTRA_CLIENT_ID: info.entra.clientId,
    ENTRA_CLIENT_SECRET: info.entra.clientSecret,
    ENTRA_AUTHORITY_HOST: info.entra.url,
    GRAPH_BASE_URL: info.entra.url,
    ENTRA_GROUP_NAME_PREFIX: 'ai-team-',
  };
}

async function measureStep(
  app: AppContext,
  sims: SimClient,
  idp: IdpName,
  name: string,
  mode: 'full' | 'incremental',
  idpSize: IdpSize,
  options: BenchOptions,
): Promise<StepReport> {
  const deps = app.depsFor(idp);
  // What the planner will see of LiteLLM and the store, read before the counters start.
  const before = await readTargetState(deps.target);
  const ownership = deps.store.ownership(idp);
  const countersBefore = await sims.counters();
  const measured = await withCpu(() =>
    reconcileFull(deps, { dryRun: false, force: false, trigger: 'manual', mode }),
  );
  const countersAfter = await sims.counters();
  const report: RunReport = measured.value;
  const plannerCpuMs = await replayPlanner(deps, before, ownership);
  const idpCalls = diffCounts(countersBefore.idp, countersAfter.idp);
  const litellm = diffCounts(countersBefore.litellm, countersAfter.litellm);
  const min = minimum({
    mode,
    idpUsers: idpSize.users,
    idpGroups: idpSize.groups,
    litellmTeams: report.read.teams,
    litellmUsers: report.read.litellmUsers,
    operations: report.plan?.operations ?? [],
    latencyMs: options.latencyMs,
    writeConcurrency: Math.min(options.applyConcurrency, options.litellmConcurrency),
    graphConcurrency,
    okta: idp === 'okta' ? oktaBoundInput(idpSize, name !== 'initial') : undefined,
  });
  return {
    step: name,
    mode,
    status: report.error ?? report.refusedBecause ?? report.status,
    planned: report.plan?.counts ?? {},
    calls: { idp: idpCalls, litellm },
    totals: {
      idpCalls: outerCalls(idpCalls),
      litellmCalls: sum(litellm),
      litellmWrites: countersAfter.litellmWrites - countersBefore.litellmWrites,
    },
    minimum: { ...min, idpCalls: outerCalls(min.idp), litellmCalls: sum(min.litellm) },
    wallMs: measured.wallMs,
    lowerBoundMs: min.lowerBoundMs,
    ratio: min.lowerBoundMs > 0 ? measured.wallMs / min.lowerBoundMs : 0,
    peakRssMb: measured.peakRssBytes / 2 ** 20,
    engineCpuMs: measured.cpuMs,
    plannerCpuMs,
    simRssMb: (await sims.rss()) / 2 ** 20,
    simCpuMs: countersAfter.cpuMs - countersBefore.cpuMs,
    ...idpExtras(idp, countersBefore, countersAfter),
  };
}

/** What the bound needs to know of the Okta org (the source's defaults for the rest). */
function oktaBoundInput(size: IdpSize, windowsCarriedOver: boolean): OktaBoundInput {
  return {
    windowsCarriedOver,
    membersPerGroup: size.membersPerGroup,
    changedGroups: size.changedGroups,
    changedUsers: size.changedUsers,
    concurrency: oktaConcurrency,
    rateLimitShare: oktaDefaultShare,
  };
}

/** Entra's resource units, or Okta's 429s: what each IdP's throttle spent during the step. */
function idpExtras(
  idp: IdpName,
  before: SimCounters,
  after: SimCounters,
): Pick<StepReport, 'resourceUnits' | 'idpThrottled'> {
  if (idp === 'okta') {
    return { idpThrottled: diffCounts(before.idpThrottled, after.idpThrottled) };
  }
  return {
    resourceUnits: (after.resourceUnits?.total ?? 0) - (before.resourceUnits?.total ?? 0),
  };
}

/** HTTP requests that went on the wire: inner `$batch` requests are carried by their envelope. */
function outerCalls(counts: Readonly<Record<string, number>>): number {
  return Object.entries(counts)
    .filter(([key]) => !isInner(key))
    .reduce((total, [, n]) => total + n, 0);
}

function isInner(key: string): boolean {
  return key.includes('inside $batch') || key.startsWith('[batch]') || key.includes('/members');
}

/**
 * The planner's CPU time on the inputs the run had: LiteLLM's state and the ownership records read
 * just before the run, and the snapshot the source holds after its refresh (served from its
 * mirror, no further IdP calls). Best of 3, to keep other processes' noise out.
 */
async function replayPlanner(
  deps: ReconcileDeps,
  before: Awaited<ReturnType<typeof readTargetState>>,
  ownership: ReturnType<ReconcileDeps['store']['ownership']>,
): Promise<number> {
  const groups: IdpGroup[] = [];
  const users = new Map<string, IdpUser>();
  for await (const group of deps.source.listGroups()) {
    groups.push(group);
  }
  for await (const user of deps.source.listUsers()) {
    users.set(user.externalId, user);
  }
  return syncCpu(
    () =>
      computePlan({
        source: deps.source.name,
        scope: { kind: 'full', complete: true },
        lifecycle: undefined,
        users,
        groups,
        teams: before.teams,
        litellmUsers: before.users,
        ownership,
        rules: deps.rules,
      }),
    3,
  ).cpuMs;
}

export const memoryNow = (): number => process.memoryUsage.rss() / 2 ** 20;
