/**
 * Runs the Keycloak simulator on its own:
 * `tsx src/sim/keycloak/main.ts --port 4400 --scenario realm.json [--token-ttl-seconds 300]`.
 * The scenario file is a {@link KeycloakScenario} as JSON (realm name, users, groups, clients).
 * The `/__sim/*` control routes are on. SIGINT / SIGTERM close it cleanly.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { nonNegativeInt, serverArgOptions, stopOnSignals } from '../shared/cli.js';
import type { KeycloakScenario } from './directory.js';
import { createKeycloakSimulator } from './server.js';

const { values } = parseArgs({
  options: {
    ...serverArgOptions(4400),
    scenario: { type: 'string' },
    'token-ttl-seconds': { type: 'string', default: '300' },
  },
  strict: true,
});

async function main(): Promise<void> {
  const sim = await createKeycloakSimulator({
    port: nonNegativeInt('port', values.port),
    host: values.host,
    latencyMs: nonNegativeInt('latency-ms', values['latency-ms']),
    seed: nonNegativeInt('seed', values.seed),
    tokenTtlSeconds: nonNegativeInt('token-ttl-seconds', values['token-ttl-seconds']),
    scenario:
      values.scenario === undefined
        ? undefined
        : (JSON.parse(readFileSync(values.scenario, 'utf8')) as KeycloakScenario),
    control: true,
  });
  process.stdout.write(
    `Keycloak simulator listening on ${sim.url} (realm ${sim.realm.name}; ${sim.realm.users.size} users, ${sim.realm.groups.size} groups)\n`,
  );
  stopOnSignals(() => sim.close(), { name: 'Keycloak simulator' });
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
