/**
 * `npm run demo`: the main job on embedded defaults, with no IdP, no LiteLLM and no Redis.
 * Starts the LiteLLM simulator on a temporary SQLite file, syncs the demo directory through the
 * file source, gives some people API keys, applies a scripted change to the directory
 * (someone leaves, someone is disabled, a group is renamed, a member moves), and syncs again.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { createLiteLLMSimulator } from '../sim/litellm/server.js';
import { runDemo } from './run.js';

const demoDir = fileURLToPath(new URL('../../config/demo/', import.meta.url));
const workDir = mkdtempSync(join(tmpdir(), 'idp-sync-demo-'));
const masterKey = 'sk-demo-master-key';
const simulator = await createLiteLLMSimulator({ dbPath: join(workDir, 'litellm.db'), masterKey });
const directory = join(workDir, 'directory.yaml');
copyFileSync(join(demoDir, 'directory.yaml'), directory);

try {
  process.exitCode = await runDemo({
    simulator,
    masterKey,
    directory,
    changes: join(demoDir, 'changes.yaml'),
    dbPath: join(workDir, 'idp-sync.db'),
    print: text => process.stdout.write(`${text}\n`),
  });
} finally {
  await simulator.close();
  rmSync(workDir, { recursive: true, force: true });
}
