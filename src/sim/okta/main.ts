/**
 * Runs the Okta simulator on its own:
 * `tsx src/sim/okta/main.ts --port 4200 [--scenario org.yaml] [--api-token T] [--latency-ms N]`.
 * The org URL is the listen address. The `/__sim/*` control routes are on. SIGINT / SIGTERM
 * close it cleanly.
 */
import { parseArgs } from 'node:util';

import { nonNegativeInt, serverArgOptions, stopOnSignals } from '../shared/cli.js';
import { readScenarioFile } from './scenario.js';
import { createOktaSimulator } from './server.js';

const { values } = parseArgs({
  options: {
    ...serverArgOptions(4200),
    'public-url': { type: 'string' },
    scenario: { type: 'string' },
    'api-token': { type: 'string', multiple: true, default: [] },
  },
  strict: true,
});

async function main(): Promise<void> {
  const sim = await createOktaSimulator({
    port: nonNegativeInt('port', values.port),
    host: values.host,
    publicUrl: values['public-url'],
    apiTokens: values['api-token'],
    latencyMs: nonNegativeInt('latency-ms', values['latency-ms']),
    seed: nonNegativeInt('seed', values.seed),
    scenario: values.scenario === undefined ? undefined : readScenarioFile(values.scenario),
    control: true,
  });
  const { users, groups } = sim.directory;
  process.stdout.write(
    `Okta simulator listening on ${sim.url} (${users.size} users, ${groups.size} groups)\n`,
  );
  // Quiet, and a second signal ends the process at once.
  stopOnSignals(() => sim.close(), { repeatedSignal: 'default' });
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
