/** Text rendering of a scenario report. */
import type { EngineReport } from './engine-l.js';
import type { LoginReport } from './login.js';
import type { ScenarioReport, StepReport } from './harness.js';

const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

export function formatScenario(report: ScenarioReport): string {
  const { scenario, settings } = report;
  const okta = settings.idp === 'okta';
  const lines = [
    okta
      ? `== Scenario ${scenario.name} on Okta: ${scenario.users} users, ${scenario.groups} groups, ${scenario.memberships} memberships (Okta has no nested groups)`
      : `== Scenario ${scenario.name}: ${scenario.users} users, ${scenario.groups} groups, ${scenario.memberships} memberships, ${scenario.nestedGroups} nested`,
    okta
      ? `   latency ${settings.latencyMs} ms/call, APPLY_CONCURRENCY ${settings.applyConcurrency}, LITELLM_CONCURRENCY ${settings.litellmConcurrency}, Okta rate limits on (OKTA_RATE_LIMIT_SHARE 0.5)`
      : `   latency ${settings.latencyMs} ms/call, APPLY_CONCURRENCY ${settings.applyConcurrency}, LITELLM_CONCURRENCY ${settings.litellmConcurrency}, Graph $batch concurrency ${settings.graphConcurrency}`,
    '',
    '| step | status | IdP calls (min) | LiteLLM calls (min) | writes | wall | lower bound | ratio | peak RSS | engine CPU | planner CPU |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...report.steps.map(row),
    '',
  ];
  for (const step of report.steps) {
    lines.push(`-- ${step.step}: planned ${JSON.stringify(step.planned)}`);
    lines.push(`   IdP calls:     ${pairs(step.calls.idp)}`);
    lines.push(`   IdP minimum:   ${pairs(step.minimum.idp)}`);
    lines.push(`   LiteLLM calls: ${pairs(step.calls.litellm)}`);
    lines.push(`   LiteLLM min:   ${pairs(step.minimum.litellm)}`);
    lines.push(`   bound = ${boundLine(step)}`);
  }
  if (report.churn !== undefined) {
    lines.push(`   churn: ${JSON.stringify(report.churn)}`);
  }
  return lines.join('\n');
}

/** The bound's parts; for Okta, also which of its two read bounds binds and the 429s seen. */
function boundLine(step: StepReport): string {
  const reads = `reads ${s(step.minimum.boundParts.readMs)} + writes ${s(step.minimum.boundParts.writeMs)}`;
  const sim = `simulator CPU ${s(step.simCpuMs)}, RSS ${step.simRssMb.toFixed(0)} MB`;
  const okta = step.minimum.okta;
  if (okta === undefined) {
    return `${reads}; Graph resource units ${step.resourceUnits ?? 0}; ${sim}`;
  }
  const { buckets, perWindow } = okta;
  return `${reads}; Okta read bound by ${okta.binds}: latency ${s(okta.latencyMs)} vs rate limit ${s(okta.rateLimitMs)} (groups bucket ${buckets.groups} calls at ${perWindow.groups}/min, users ${buckets.users} at ${perWindow.users}/min); Okta 429s ${pairs(step.idpThrottled ?? {}) || 'none'}; ${sim}`;
}

function row(step: StepReport): string {
  return `| ${step.step} | ${step.status} | ${step.totals.idpCalls} (${step.minimum.idpCalls}) | ${step.totals.litellmCalls} (${step.minimum.litellmCalls}) | ${step.totals.litellmWrites} | ${s(step.wallMs)} | ${s(step.lowerBoundMs)} | ${step.ratio.toFixed(2)} | ${step.peakRssMb.toFixed(0)} MB | ${s(step.engineCpuMs)} | ${step.plannerCpuMs.toFixed(0)} ms |`;
}

function pairs(counts: Readonly<Record<string, number>>): string {
  return Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

export function formatEngine(report: EngineReport): string {
  const { scenario } = report;
  const mb = (n: number): string => `${n.toFixed(0)} MB`;
  const calls = (step: EngineReport['steps'][number]): number =>
    Object.values(step.calls).reduce((a, b) => a + b, 0);
  return [
    `== Engine, ${scenario.name}: ${scenario.users} users, ${scenario.groups} groups, ${scenario.memberships} memberships (in-memory source; LiteLLM simulator over HTTP, no latency; real planner + SQLite store + apply; each step in a fresh process)`,
    '',
    '| step | status | planned | LiteLLM calls | writes | wall | engine CPU | planner CPU | RSS at start → with tenant → before run | peak RSS | heap before → after (GC) |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...report.steps.map(
      step =>
        `| ${step.step} | ${step.status} | ${JSON.stringify(step.planned)} | ${calls(step)} | ${step.writes} | ${s(step.wallMs)} | ${s(step.engineCpuMs)} | ${step.plannerCpuMs.toFixed(0)} ms | ${mb(step.startRssMb)} → ${mb(step.baselineRssMb)} → ${mb(step.residentMb)} | ${mb(step.peakRssMb)} | ${step.heapBeforeMb.toFixed(0)} → ${step.heapAfterMb.toFixed(0)} MB |`,
    ),
  ].join('\n');
}

export function formatLogin(report: LoginReport): string {
  const { settings } = report;
  const ms = (n: number): string => `${n.toFixed(0)} ms`;
  return [
    `== Login latency: ${settings.rate} logins/s for ${settings.seconds} s, latency ${settings.latencyMs} ms/call, WORKER_CONCURRENCY ${settings.workerConcurrency}, LITELLM_CONCURRENCY ${settings.litellmConcurrency}, LOGIN_SYNC_DEBOUNCE_MS ${settings.debounceMs}`,
    `   ${report.completed}/${report.events} synced; outcomes ${JSON.stringify(report.outcomes)}`,
    `   event → memberships applied: p50 ${ms(report.latencyMs.p50)}, p95 ${ms(report.latencyMs.p95)}, p99 ${ms(report.latencyMs.p99)}, max ${ms(report.latencyMs.max)} (lower bound ≈ ${ms(report.lowerBoundMs)})`,
    `   hook answer: p50 ${ms(report.hookMs.p50)}, p99 ${ms(report.hookMs.p99)}`,
    `   per login: ${report.perLogin.idpCalls.toFixed(2)} IdP calls, ${report.perLogin.litellmCalls.toFixed(2)} LiteLLM calls, ${report.perLogin.litellmWrites.toFixed(2)} writes`,
    `   IdP calls: ${pairs(report.idpCallsByEndpoint)}`,
    `   LiteLLM calls: ${pairs(report.litellmCallsByEndpoint)}`,
    `   CPU (hook server + worker, this process) ${s(report.cpuMs)} over ${s(report.wallMs)}`,
  ].join('\n');
}
