/**
 * Runs the LiteLLM simulator on its own:
 * `npm run sim:litellm -- --port 4000 [--db path] [--master-key sk-...] [--latency-ms N]`.
 * The `/__sim/*` control routes are on. SIGINT / SIGTERM close it cleanly.
 */
import { parseArgs } from 'node:util';

import { createLiteLLMSimulator } from './server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4000' },
    host: { type: 'string', default: '127.0.0.1' },
    db: { type: 'string', default: ':memory:' },
    'master-key': { type: 'string', default: 'sk-1234' },
    'latency-ms': { type: 'string', default: '0' },
    premium: { type: 'boolean', default: false },
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
  const sim = await createLiteLLMSimulator({
    port: toInt('port', values.port),
    host: values.host,
    dbPath: values.db,
    masterKey: values['master-key'],
    latencyMs: toInt('latency-ms', values['latency-ms']),
    premium: values.premium,
    seed: toInt('seed', values.seed),
    control: true,
  });
  process.stdout.write(`LiteLLM simulator listening on ${sim.url}\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      return;
    }
    stopping = true;
    process.stdout.write(`${signal}: closing LiteLLM simulator\n`);
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
