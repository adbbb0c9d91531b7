/**
 * An empty LiteLLM simulator (no latency) in a process of its own, for the engine-alone steps
 * (bench/engine-l.ts): its state outlives each engine process, so the no-op run starts from what
 * the initial run left, as it would against a real proxy. Sends `{ url, masterKey }` over IPC once
 * listening, and closes when the parent disconnects.
 */
import process from 'node:process';

import { createLiteLLMSimulator } from '../src/sim/litellm/server.js';

const masterKey = 'sk-bench';
const sim = await createLiteLLMSimulator({ masterKey, latencyMs: 0 });
process.send?.({ url: sim.url, masterKey });
process.on('disconnect', () => {
  void sim.close().then(() => process.exit(0));
});
