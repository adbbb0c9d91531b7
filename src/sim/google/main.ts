/**
 * Runs the Google Directory API simulator on its own:
 * `tsx src/sim/google/main.ts --port 4300 --scenario workspace.json --service-account sa.pub.json`.
 * The scenario file is a {@link GoogleScenario} as JSON; each `--service-account` file holds
 * `{ "clientEmail": "...", "publicKey": "-----BEGIN PUBLIC KEY-----..." }`. The `/__sim/*` control
 * routes are on. SIGINT / SIGTERM close it cleanly.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { nonNegativeInt, serverArgOptions, stopOnSignals } from '../shared/cli.js';
import type { GoogleScenario } from './directory.js';
import { createGoogleSimulator } from './server.js';
import type { SimServiceAccount } from './token.js';

const { values } = parseArgs({
  options: {
    ...serverArgOptions(4300),
    scenario: { type: 'string' },
    'service-account': { type: 'string', multiple: true, default: [] },
    admin: { type: 'string', multiple: true, default: [] },
    'queries-per-minute': { type: 'string', default: '2400' },
  },
  strict: true,
});

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

async function main(): Promise<void> {
  const sim = await createGoogleSimulator({
    port: nonNegativeInt('port', values.port),
    host: values.host,
    latencyMs: nonNegativeInt('latency-ms', values['latency-ms']),
    seed: nonNegativeInt('seed', values.seed),
    queriesPerMinute: nonNegativeInt('queries-per-minute', values['queries-per-minute']),
    scenario:
      values.scenario === undefined ? undefined : (readJson(values.scenario) as GoogleScenario),
    serviceAccounts: values['service-account'].map(path => readJson(path) as SimServiceAccount),
    admins: values.admin,
    control: true,
  });
  process.stdout.write(
    `Google simulator listening on ${sim.url} (token URL ${sim.tokenUrl}; ${sim.directory.users.size} users, ${sim.directory.groups.size} groups)\n`,
  );
  stopOnSignals(() => sim.close(), { name: 'Google simulator' });
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
