import { copyFileSync } from 'node:fs';

import { loadConfig } from '../../config/load.js';
import { createAppContext } from '../cli/context.js';
import { formatReport } from '../cli/format.js';
import { silentLogger } from '../log.js';
import { reconcileFull } from '../reconcile/reconcile-full.js';
import type { RunReport } from '../reconcile/run-types.js';
import type { LiteLLMSimulator } from '../sim/litellm/types.js';

/** What the demo runs on: a started simulator, the directory file the source reads, and a printer. */
export type DemoSetup = {
  readonly simulator: LiteLLMSimulator;
  readonly masterKey: string;
  /** The directory file the file source reads; the demo overwrites it with `changes`. */
  readonly directory: string;
  readonly changes: string;
  readonly dbPath: string;
  readonly print: (text: string) => void;
};

/** The demo's storyline; returns the exit code (0 when every sync succeeded). */
export async function runDemo(setup: DemoSetup): Promise<number> {
  const { simulator, print } = setup;
  const config = loadConfig({
    LITELLM_BASE_URL: simulator.url,
    LITELLM_MASTER_KEY: setup.masterKey,
    IDP_SOURCES: 'file',
    FILE_DIRECTORY_PATH: setup.directory,
    FILE_GROUP_NAME_PREFIX: 'ai-',
    IDP_SYNC_DB: setup.dbPath,
    IDP_SYNC_CONFIG: '',
    // The storyline deletes a leaver in one step; production waits for two snapshots by default.
    DEPROVISION_CONFIRMATIONS: '1',
  });
  const app = createAppContext(config, { logger: silentLogger() });
  const sync = async (title: string, dryRun = false): Promise<RunReport> => {
    const before = totalCalls(simulator);
    const report = await reconcileFull(app.depsFor('file'), {
      dryRun,
      force: false,
      trigger: 'demo',
    });
    print(`\n== ${title}`);
    print(formatReport(report));
    print(`  LiteLLM calls: ${totalCalls(simulator) - before}`);
    return report;
  };
  try {
    print(
      `LiteLLM simulator at ${simulator.url}; directory ${setup.directory} (groups starting with "ai-")`,
    );
    const first = await sync('1. First sync: teams, users and memberships are created');
    await giveKeys(simulator.url, setup.masterKey);
    const keysBefore = simulator.state().keys;
    print(`\n== 2. People get API keys: ${keysBefore.map(k => k.key_alias).join(', ')}`);
    const second = await sync('3. Second sync: nothing changed, so nothing is written');
    copyFileSync(setup.changes, setup.directory);
    print(
      '\n== 4. The directory changes: Lucas leaves, Marcus is disabled, ai-support is renamed, Kenji moves to ai-data',
    );
    await sync('5. Plan (dry run) of the change', true);
    const third = await sync('6. Sync after the change');
    printKeyChanges(keysBefore, simulator, print);
    return [first, second, third].every(r => r.status === 'succeeded') ? 0 : 1;
  } finally {
    app.close();
  }
}

/** Personal keys for three people, and a team service key that belongs to no one. */
async function giveKeys(baseUrl: string, masterKey: string): Promise<void> {
  const keys = [
    { user_id: 'u-lucas', team_id: 'g-ai-support', key_alias: 'lucas-laptop' },
    { user_id: 'u-lucas', key_alias: 'lucas-personal' },
    { user_id: 'u-marcus', team_id: 'g-ai-platform', key_alias: 'marcus-ci' },
    { user_id: 'u-priya', team_id: 'g-ai-platform', key_alias: 'priya-notebook' },
    { team_id: 'g-ai-support', key_alias: 'support-bot (service key)' },
  ];
  for (const body of keys) {
    const response = await fetch(`${baseUrl}/key/generate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${masterKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) {
      throw new Error(`/key/generate failed with ${response.status}: ${await response.text()}`);
    }
  }
}

function printKeyChanges(
  before: readonly { token: string; key_alias: string | null }[],
  simulator: LiteLLMSimulator,
  print: (text: string) => void,
): void {
  const after = new Set(simulator.state().keys.map(k => k.token));
  print('\n== 7. Keys after the change');
  for (const key of before) {
    print(`  ${after.has(key.token) ? 'kept   ' : 'DELETED'}  ${key.key_alias ?? key.token}`);
  }
}

function totalCalls(simulator: LiteLLMSimulator): number {
  return Object.values(simulator.calls()).reduce((sum, n) => sum + n, 0);
}
