/**
 * Runs the Auth0 simulator on its own:
 * `tsx src/sim/auth0/main.ts --port 4300 [--client-id ID --client-secret S] [--users N]`.
 * Point the source at it with `AUTH0_DOMAIN=example.auth0.com AUTH0_BASE_URL=http://127.0.0.1:4300`.
 * The `/__sim/*` control routes are on. SIGINT / SIGTERM close it cleanly.
 */
import { parseArgs } from 'node:util';

import { nonNegativeInt, serverArgOptions, stopOnSignals } from '../shared/cli.js';
import { createAuth0Simulator } from './server.js';

const { values } = parseArgs({
  options: {
    ...serverArgOptions(4300),
    domain: { type: 'string', default: 'example.auth0.com' },
    'client-id': { type: 'string', default: 'sim-client' },
    'client-secret': { type: 'string', default: 'sim-secret' },
    users: { type: 'string', default: '0' },
  },
  strict: true,
});

const sim = await createAuth0Simulator({
  port: nonNegativeInt('port', values.port),
  host: values.host,
  domain: values.domain,
  latencyMs: nonNegativeInt('latency-ms', values['latency-ms']),
  seed: nonNegativeInt('seed', values.seed),
  clients: [{ id: values['client-id'], secret: values['client-secret'] }],
  scenario: { generatedUsers: nonNegativeInt('users', values.users) },
});
process.stdout.write(
  `Auth0 simulator for ${sim.domain} listening on ${sim.url} (${sim.tenant.users.size} users)\n`,
);
stopOnSignals(() => sim.close(), { name: 'Auth0 simulator' });
