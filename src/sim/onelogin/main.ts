/**
 * Runs the OneLogin simulator on its own:
 * `tsx src/sim/onelogin/main.ts --port 4400 [--client-id ID --client-secret S] [--users N]`.
 * Point the source at it with `ONELOGIN_BASE_URL=http://127.0.0.1:4400`. The `/__sim/*` control
 * routes are on. SIGINT / SIGTERM close it cleanly.
 */
import { parseArgs } from 'node:util';

import { nonNegativeInt, serverArgOptions, stopOnSignals } from '../shared/cli.js';
import { createOneLoginSimulator } from './server.js';

const { values } = parseArgs({
  options: {
    ...serverArgOptions(4400),
    'client-id': { type: 'string', default: 'sim-client' },
    'client-secret': { type: 'string', default: 'sim-secret' },
    users: { type: 'string', default: '0' },
  },
  strict: true,
});

const sim = await createOneLoginSimulator({
  port: nonNegativeInt('port', values.port),
  host: values.host,
  latencyMs: nonNegativeInt('latency-ms', values['latency-ms']),
  seed: nonNegativeInt('seed', values.seed),
  clients: [{ id: values['client-id'], secret: values['client-secret'] }],
  scenario: { generatedUsers: nonNegativeInt('users', values.users) },
});
process.stdout.write(
  `OneLogin simulator listening on ${sim.url} (${sim.account.users.size} users)\n`,
);
stopOnSignals(() => sim.close(), { name: 'OneLogin simulator' });
