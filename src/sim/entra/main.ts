/**
 * Runs the Entra simulator on its own and prints the environment that points the worker at it:
 * `tsx src/sim/entra/main.ts --port 4100 [--scenario dir.json|yaml] [--users N --groups M
 * --memberships K] [--seed N] [--latency-ms N] [--tenant-id ID --client-id ID --client-secret S]`.
 * The `/__sim/*` control routes are on. SIGINT / SIGTERM close it cleanly.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { parse as parseYaml } from 'yaml';

import { nonNegativeInt, serverArgOptions, stopOnSignals } from '../shared/cli.js';
import type { EntraScenario } from './scenario.js';
import { createEntraSimulator } from './server.js';
import { generateTenant } from './synthetic.js';

const { values } = parseArgs({
  options: {
    ...serverArgOptions(4100),
    scenario: { type: 'string' },
    users: { type: 'string' },
    groups: { type: 'string', default: '20' },
    memberships: { type: 'string' },
    'tenant-id': { type: 'string' },
    'client-id': { type: 'string' },
    'client-secret': { type: 'string' },
    'tls-dir': { type: 'string' },
  },
  strict: true,
});

function scenario(): EntraScenario | undefined {
  if (values.scenario) {
    const text = readFileSync(values.scenario, 'utf8');
    return (
      /\.ya?ml$/i.test(values.scenario) ? parseYaml(text) : JSON.parse(text)
    ) as EntraScenario;
  }
  if (values.users) {
    const users = nonNegativeInt('users', values.users);
    const groups = nonNegativeInt('groups', values.groups);
    const memberships = values.memberships
      ? nonNegativeInt('memberships', values.memberships)
      : users * 3;
    return generateTenant({
      users,
      groups,
      memberships,
      seed: nonNegativeInt('seed', values.seed),
    });
  }
  return undefined;
}

async function main(): Promise<void> {
  const clientId = values['client-id'];
  const sim = await createEntraSimulator({
    port: nonNegativeInt('port', values.port),
    host: values.host,
    tlsDir: values['tls-dir'],
    tenantId: values['tenant-id'],
    apps: clientId
      ? [{ clientId, clientSecret: values['client-secret'] ?? 'sim-secret' }]
      : undefined,
    scenario: scenario(),
    seed: nonNegativeInt('seed', values.seed),
    latencyMs: nonNegativeInt('latency-ms', values['latency-ms']),
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
  stopOnSignals(() => sim.close(), { name: 'Entra simulator' });
}

await main();
