/**
 * A worker child process for the multi-process job tests: `idp-sync worker` (the same
 * `runWorker`) with the LiteLLM client's retry delays and the lock back-off shortened.
 */
import { loadConfig } from '../../config/load.js';
import { runWorker } from '../../src/cli/commands/worker.js';
import { createAppContext } from '../../src/cli/context.js';
import { processOutput } from '../../src/cli/output.js';

const app = createAppContext(loadConfig(process.env), {
  litellm: { retry: { baseMs: 5, maxMs: 50 } },
});
try {
  process.exitCode = await runWorker(app, processOutput(), { busyRetryMs: 100 });
} finally {
  app.close();
}
