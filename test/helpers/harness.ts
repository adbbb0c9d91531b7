import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { stringify } from 'yaml';

import { loadConfig } from '../../config/load.js';
import { main } from '../../src/cli/main.js';
import { createAppContext, type AppContext } from '../../src/cli/context.js';
import { silentLogger } from '../../src/log.js';
import { reconcileFull } from '../../src/reconcile/reconcile-full.js';
import { reconcileUser } from '../../src/reconcile/reconcile-user.js';
import type { ReconcileDeps, RunReport } from '../../src/reconcile/run-types.js';
import { createLiteLLMSimulator } from '../../src/sim/litellm/server.js';
import type { LiteLLMSimulator, SimState } from '../../src/sim/litellm/types.js';

export const masterKey = 'sk-test-master-key-0123456789';

/** A directory in the file source's format. */
export type Directory = {
  users: { id: string; email?: string; name?: string; status?: 'active' | 'disabled' }[];
  groups: { id: string; name: string; members?: string[]; groups?: string[] }[];
};

/** A LiteLLM simulator, a directory file, a store and a configured app, torn down together. */
export type Harness = {
  readonly sim: LiteLLMSimulator;
  readonly dir: string;
  readonly env: Record<string, string>;
  writeDirectory(directory: Directory): void;
  app(overrides?: Record<string, string>): AppContext;
  sync(options?: {
    force?: boolean;
    dryRun?: boolean;
    deps?: (deps: ReconcileDeps) => ReconcileDeps;
  }): Promise<RunReport>;
  resync(subject: string): Promise<RunReport>;
  cli(
    args: string[],
    env?: Record<string, string>,
  ): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Calls LiteLLM's admin API directly, as an operator would. */
  admin(path: string, body?: unknown): Promise<unknown>;
  close(): Promise<void>;
};

/** Starts a harness; `pageSize` shrinks LiteLLM list pages so paging is exercised with few rows. */
export async function startHarness(options: { pageSize?: number } = {}): Promise<Harness> {
  const sim = await createLiteLLMSimulator({ masterKey });
  const dir = mkdtempSync(join(tmpdir(), 'idp-sync-it-'));
  const directoryPath = join(dir, 'directory.yaml');
  const env: Record<string, string> = {
    LITELLM_BASE_URL: sim.url,
    LITELLM_MASTER_KEY: masterKey,
    IDP_SOURCES: 'file',
    FILE_DIRECTORY_PATH: directoryPath,
    FILE_GROUP_NAME_PREFIX: 'ai-',
    IDP_SYNC_DB: join(dir, 'state.db'),
    IDP_SYNC_CONFIG: '',
    LOG_LEVEL: 'silent',
    // A queue prefix of this test's own, so status and resync never touch a shared queue.
    IDP_SYNC_QUEUE_PREFIX: `test-${randomUUID().slice(0, 8)}`,
    // Tests of small directories deprovision large shares; the percent limit is tested on its own.
    DEPROVISION_MAX_PERCENT: '0',
    REMOVAL_MAX_PERCENT: '0',
    // One complete snapshot confirms an absence here; confirmations are tested on their own.
    DEPROVISION_CONFIRMATIONS: '1',
  };
  const apps: AppContext[] = [];
  const app = (overrides: Record<string, string> = {}): AppContext => {
    const created = createAppContext(loadConfig({ ...env, ...overrides }), {
      logger: silentLogger(),
      litellm: { pageSize: options.pageSize, retry: { baseMs: 5, maxMs: 2000 } },
    });
    apps.push(created);
    return created;
  };
  const shared = app();
  return {
    sim,
    dir,
    env,
    writeDirectory: directory => writeFileSync(directoryPath, stringify(directory)),
    app,
    sync: async (o = {}) => {
      const deps = shared.depsFor('file');
      return reconcileFull(o.deps?.(deps) ?? deps, {
        dryRun: o.dryRun ?? false,
        force: o.force ?? false,
        trigger: 'manual',
      });
    },
    resync: subject =>
      reconcileUser(shared.depsFor('file'), subject, {
        dryRun: false,
        force: false,
        trigger: 'manual',
      }),
    cli: async (args, extra = {}) => {
      let stdout = '';
      let stderr = '';
      const code = await main(args, {
        env: { ...env, ...extra },
        out: {
          line: t => (stdout += `${t}\n`),
          json: v => (stdout += `${JSON.stringify(v)}\n`),
          error: t => (stderr += `${t}\n`),
        },
      });
      return { code, stdout, stderr };
    },
    admin: async (path, body) => {
      const response = await fetch(`${sim.url}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { authorization: `Bearer ${masterKey}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      if (!response.ok) {
        throw new Error(`${path} → ${response.status}: ${text}`);
      }
      return JSON.parse(text) as unknown;
    },
    close: async () => {
      apps.forEach(a => a.close());
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** LiteLLM state reduced to what sync decides, in a stable order, for comparing two runs. */
export function comparable(state: SimState) {
  return {
    teams: state.teams
      .map(t => ({
        id: t.team_id,
        alias: t.team_alias,
        members: t.members_with_roles.map(m => `${m.user_id}:${m.role}`).sort(),
      }))
      .sort((a, b) => a.id.localeCompare(b.id)),
    users: state.users
      .map(u => ({
        id: u.user_id,
        email: u.user_email,
        role: u.user_role,
        teams: [...u.teams].sort(),
      }))
      .sort((a, b) => a.id.localeCompare(b.id)),
    keys: state.keys.map(k => k.key_alias ?? k.token).sort(),
  };
}
