/**
 * `npm run bench [-- --scenario XS|S|M|L] [--idp entra|okta] [--json]`: the reconcile benchmark
 *   against simulators (the Entra simulator, or Okta's with its rate limits on).
 * `npm run bench -- --engine --scenario L`: the engine alone at that size (in-memory source and
 *   LiteLLM; peak RSS, CPU, planner CPU) — see bench/engine-l.ts.
 * `npm run bench -- --login [--rate 50] [--seconds 60] [--worker-concurrency N] [--debounce MS]`:
 *   [--litellm-concurrency N] login-hook latency through /hooks/login → BullMQ → worker → LiteLLM (needs redis-server or REDIS_URL).
 *
 * Runs under `node scripts/with-test-ca.js` (the Entra simulator speaks HTTPS with the test CA).
 * Benchmarks are measurements, never assertions: this exits non-zero only when a step fails.
 */
import process from 'node:process';
import { parseArgs } from 'node:util';

import { applyHeapGrowth } from '../src/cli/heap-growth.js';
import { formatEngine, formatLogin, formatScenario } from './report.js';
import { isScenarioName, scenarios } from './scenarios.js';

const { values } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'S' },
    idp: { type: 'string', default: 'entra' },
    json: { type: 'boolean', default: false },
    latency: { type: 'string', default: '20' },
    'apply-concurrency': { type: 'string', default: '8' },
    'litellm-concurrency': { type: 'string', default: '16' },
    churn: { type: 'string', default: '0.01' },
    engine: { type: 'boolean', default: false },
    'engine-step': { type: 'string' },
    login: { type: 'boolean', default: false },
    rate: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '60' },
    'worker-concurrency': { type: 'string', default: '16' },
    debounce: { type: 'string', default: '0' },
  },
});

// As the CLI does (bin/idp-sync.js): the figures are the product's as deployed.
applyHeapGrowth(process.env);

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};
const print = (json: unknown, text: string): void => {
  process.stdout.write(values.json ? `${JSON.stringify(json, null, 2)}\n` : `${text}\n`);
};

const name = (values.scenario ?? 'S').toUpperCase();
if (!isScenarioName(name)) {
  process.stderr.write(
    `unknown scenario ${name}; use one of ${Object.keys(scenarios).join(', ')}\n`,
  );
  process.exit(2);
}
const idp = values.idp ?? 'entra';
if (idp !== 'entra' && idp !== 'okta') {
  process.stderr.write(`unknown IdP ${idp}; use entra or okta\n`);
  process.exit(2);
}
if (!values.engine && process.env['NODE_EXTRA_CA_CERTS'] === undefined) {
  process.stderr.write(
    'NODE_EXTRA_CA_CERTS is not set: run through `npm run bench` (node scripts/with-test-ca.js)\n',
  );
  process.exit(2);
}

// Each mode loads only its own modules, so the engine's RSS is not inflated by the others'.
if (values.engine && values['engine-step'] !== undefined) {
  // One step in this (fresh) process; the parent below reads its JSON.
  const { engineSteps, runEngineStep } = await import('./engine-l.js');
  const step = engineSteps.find(s => s === values['engine-step']);
  if (step === undefined) {
    process.stderr.write(`unknown engine step; use one of ${engineSteps.join(', ')}\n`);
    process.exit(2);
  }
  const report = await runEngineStep(scenarios[name], step, log);
  process.stdout.write(`${JSON.stringify(report)}\n`);
  process.exitCode = report.status === 'succeeded' ? 0 : 1;
} else if (values.engine) {
  const { runEngine } = await import('./engine-l.js');
  const report = await runEngine(scenarios[name], log);
  print(report, formatEngine(report));
  process.exitCode = report.steps.every(s => s.status === 'succeeded') ? 0 : 1;
} else if (values.login) {
  const { runLogin } = await import('./login.js');
  const report = await runLogin({
    rate: Number(values.rate),
    seconds: Number(values.seconds),
    latencyMs: Number(values.latency),
    workerConcurrency: Number(values['worker-concurrency']),
    litellmConcurrency: Number(values['litellm-concurrency']),
    debounceMs: Number(values.debounce),
    log,
  });
  print(report, formatLogin(report));
  process.exitCode = report.completed === report.events ? 0 : 1;
} else {
  const { runScenario } = await import('./harness.js');
  const report = await runScenario(scenarios[name], {
    idp,
    latencyMs: Number(values.latency),
    applyConcurrency: Number(values['apply-concurrency']),
    litellmConcurrency: Number(values['litellm-concurrency']),
    churnShare: Number(values.churn),
    log,
  });
  print(report, formatScenario(report));
  process.exitCode = report.steps.every(step => step.status === 'succeeded') ? 0 : 1;
}
