/**
 * Runs the LiteLLM simulator on its own:
 * `npm run sim:litellm -- --port 4000 [--db path] [--master-key sk-...] [--latency-ms N]`.
 * The `/__sim/*` control routes are on. SIGINT / SIGTERM close it cleanly.
 */
import { parseArgs } from 'node:util';

import { nonNegativeInt, serverArgOptions, stopOnSignals } from '../shared/cli.js';
import { createLiteLLMSimulator } from './server.js';

const { values } = parseArgs({
  options: {
    ...serverArgOptions(4000),
    db: { type: 'string', default: ':memory:' },
    'master-key': { type: 'string', default: 'sk-1234' },
    premium: { type: 'boolean', default: false },
  },
  strict: true,
});

const sim = await createLiteLLMSimulator({
  port: nonNegativeInt('port', values.port),
  host: values.host,
  dbPath: values.db,
  masterKey: values['master-key'],
  latencyMs: nonNegativeInt('latency-ms', values['latency-ms']),
  premium: values.premium,
  seed: nonNegativeInt('seed', values.seed),
  control: true,
});
process.stdout.write(`LiteLLM simulator listening on ${sim.url}\n`);
stopOnSignals(() => sim.close(), { name: 'LiteLLM simulator' });
