/**
 * Runs the Entra simulator on its own and prints the environment that points the worker at it:
 * `tsx src/sim/entra/main.ts --port 4100 [--scenario dir.json|yaml] [--users N --groups M
 * --memberships K] [--seed N] [--latency-ms N] [--tenant-id ID --client-id ID --client-secret S]`.
 * The `/__sim/*` control routes are on. SIGINT / SIGTERM close it cleanly.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { parse as parseYaml } from 'yaml';

import type { EntraScenario } from './scenario.js';
import { createEntraSimulator } from './server.js';
import { generateTenant } from './synthetic.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4100' },
    host: { type: 'string', default: '127.0.0.1' },
    scenario: { type: 'string' },
    users: { type: 'string' },
    groups: { type: 'string', default: '20' },
    memberships: { type: 'string' },
    seed: { type: 'string', default: '1' },
    'latency-ms': { type: 'string', default: '0' },
    'tenant-id': { type: 'string' },
    'client-id': { type: 'string' },
    'client-secret': { type: 'string' },
    'tls-dir': { type: 'string' },
  },
  strict: true,
});

function toInt(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) {
    process.stderr.write(`--${name} must be a non-negative integer, got "${text}"\n`);
    process.exit(2);
  }
  return n;
}

function scenario(): EntraScenario | undefined {
  if (values.scenario) {
    const text = readFileSync(values.scenario, 'utf8');
    return (
      /\.ya?ml$/i.test(values.scenario) ? parseYaml(text) : JSON.parse(text)
    ) as EntraScenario;
  }
  if (values.users) {
    const users = toInt('users', values.users);
    const groups = toInt('groups', values.groups);
    const memberships = values.memberships ? toInt('memberships', values.memberships) : users * 3;
    return generateTenant({ users, groups, memberships, seed: toInt('seed', values.seed) });
  }
  return undefined;
}

async function main(): Promise<void> {
  const clientId = values['client-id'];
  const sim = await createEntraSimulator({
    port: toInt('port', values.port),
    host: values.host,
    tlsDir: values['tls-dir'],
    tenantId: values['tenant-id'],
    apps: clientId
      ? [{ clientId, clientSecret: values['client-secret'] ?? 'sim-secret' }]
      : undefined,
    scenario: scenario(),
    seed: toInt('seed', values.seed),
    latencyMs: toInt('latency-ms', values['latency-ms']),
    control: true,
  });
  process.stdout.write(
    [
      `Entra simulator (token endpoint + Graph v1.0) listening on ${sim.url}`,
      '',
      '# Point the worker at it:',
      `ENTRA_AUTHORITY_HOST=${sim.url}`,
      `GRAPH_BASE_URL=${sim.url}`,
      `ENTRA_TENANT_ID=${sim.tenantId}`,
      `ENTRA_CLIENT_ID=${sim.clientId}`,
      `ENTRA_CLIENT_SECRET=${sim.clientSecret}`,
      `NODE_EXTRA_CA_CERTS=${sim.caPath}`,
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      return;
    }
    stopping = true;
    process.stdout.write(`${signal}: closing Entra simulator\n`);
    sim.close().then(
      () => process.exit(0),
      (e: unknown) => {
        process.stderr.write(`close failed: ${String(e)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

await main();
