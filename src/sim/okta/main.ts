/**
 * Runs the Okta simulator on its own:
 * `tsx src/sim/okta/main.ts --port 4200 [--scenario org.yaml] [--api-token T] [--latency-ms N]`.
 * The org URL is the listen address. The `/__sim/*` control routes are on. SIGINT / SIGTERM
 * close it cleanly.
 */
import { parseArgs } from 'node:util';

import { readScenarioFile } from './scenario.js';
import { createOktaSimulator } from './server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4200' },
    host: { type: 'string', default: '127.0.0.1' },
    'public-url': { type: 'string' },
    scenario: { type: 'string' },
    'api-token': { type: 'string', multiple: true, default: [] },
    'latency-ms': { type: 'string', default: '0' },
    seed: { type: 'string', default: '1' },
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

async function main(): Promise<void> {
  const sim = await createOktaSimulator({
    port: toInt('port', values.port),
    host: values.host,
    publicUrl: values['public-url'],
    apiTokens: values['api-token'],
    latencyMs: toInt('latency-ms', values['latency-ms']),
    seed: toInt('seed', values.seed),
    scenario: values.scenario === undefined ? undefined : readScenarioFile(values.scenario),
    control: true,
  });
  const { users, groups } = sim.directory;
  process.stdout.write(
    `Okta simulator listening on ${sim.url} (${users.size} users, ${groups.size} groups)\n`,
  );
  const stop = () => {
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
