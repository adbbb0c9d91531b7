/**
 * Issue 11, part 5: recognisable secrets (the master key, client secrets, API tokens, a private
 * key, and wrong credentials too) never reach a log line, an error message, a job payload in
 * Redis or a row of the store; the store file is created 0600.
 */
import { existsSync, statSync } from 'node:fs';

import { afterAll, describe, expect, it } from 'vitest';

import { enqueueFullReconcile, enqueueUserSync } from '../../jobs/enqueue.js';
import { createSyncWorker } from '../../jobs/worker.js';
import { loadConfig } from '../../config/load.js';
import { createAppContext } from '../../src/cli/context.js';
import { reconcileFull } from '../../src/reconcile/reconcile-full.js';
import type { RunReport } from '../../src/reconcile/run-types.js';
import { startHarness, masterKey, type Directory, type Harness } from '../helpers/harness.js';
import { startJobsHarness } from '../helpers/jobs.js';
import { testRedis } from '../helpers/redis.js';
import { capturingLogger, findSecrets, redisDump, storeRows } from '../helpers/secret-scan.js';
import { startRig, type RigName } from '../helpers/source-rigs.js';

const directory: Directory = {
  users: [
    { id: 'alice', email: 'alice@example.com', name: 'Alice' },
    { id: 'bob', email: 'bob@example.com' },
  ],
  groups: [{ id: 'g-eng', name: 'ai-eng', members: ['alice', 'bob'] }],
};

/** A wrong master key is still a secret: an operator's typo of the real one. */
const wrongMasterKey = 'sk-wrong-master-key-9876543210';

/** Every piece of text a run hands back to its caller. */
function reportTexts(report: RunReport): string[] {
  return [
    report.error ?? '',
    ...report.problems,
    ...report.failures.map(o => o.error),
    JSON.stringify(report),
  ];
}

const found: string[] = [];

describe('secrets stay out of logs, errors, job payloads and the store', () => {
  const harnesses: Harness[] = [];
  afterAll(async () => {
    await Promise.all(harnesses.map(h => h.close()));
    console.log(`secrets scan: secrets found ${found.length}`);
  });

  it('the scan finds a planted secret, a PEM key re-wrapped in JSON included', async () => {
    const rig = await startRig('google');
    await rig.close();
    const pem = rig.secrets[0] ?? '';
    expect(findSecrets({ log: [`{"msg":"x ${masterKey} y"}`] }, [masterKey])).toHaveLength(1);
    expect(findSecrets({ log: [JSON.stringify({ key: pem })] }, [pem])).toHaveLength(1);
    expect(findSecrets({ log: ['nothing here'] }, [masterKey, pem])).toEqual([]);
  });

  it('file source: a sync, a LiteLLM outage, a wrong master key, the CLI', async () => {
    const h = await startHarness();
    harnesses.push(h);
    h.writeDirectory(directory);
    const { logger, lines } = capturingLogger();
    const app = createAppContext(loadConfig({ ...h.env, LOG_LEVEL: 'trace' }), {
      logger,
      litellm: { retry: { baseMs: 1, maxMs: 5 } },
    });
    const run = () =>
      reconcileFull(app.depsFor('file'), { dryRun: false, force: false, trigger: 'manual' });
    const texts: string[] = [];
    texts.push(...reportTexts(await run()));
    h.sim.setFaults([{ status: 500, times: 40 }]);
    texts.push(...reportTexts(await run()));
    h.sim.clearFaults();
    app.close();
    const wrong = createAppContext(loadConfig({ ...h.env, LITELLM_MASTER_KEY: wrongMasterKey }), {
      logger,
      litellm: { retry: { baseMs: 1, maxMs: 5 } },
    });
    const refused = await reconcileFull(wrong.depsFor('file'), {
      dryRun: false,
      force: false,
      trigger: 'manual',
    });
    wrong.close();
    expect(refused.status).not.toBe('succeeded');
    texts.push(...reportTexts(refused));
    for (const args of [['sync'], ['plan'], ['check-config'], ['sync', '--json']]) {
      const out = await h.cli(args, { LITELLM_MASTER_KEY: wrongMasterKey });
      texts.push(out.stdout, out.stderr);
    }
    const result = findSecrets(
      { logs: lines, errors: texts, store: storeRows(h.env.IDP_SYNC_DB ?? '') },
      [masterKey, wrongMasterKey],
    );
    found.push(...result);
    expect(lines.length).toBeGreaterThan(3);
    expect(result).toEqual([]);
    expect(statSync(h.env.IDP_SYNC_DB ?? '').mode & 0o777).toBe(0o600);
    for (const suffix of ['-wal', '-shm']) {
      const path = `${h.env.IDP_SYNC_DB ?? ''}${suffix}`;
      if (existsSync(path)) {
        expect(statSync(path).mode & 0o077).toBe(0);
      }
    }
  });

  it.each<RigName>(['okta', 'entra', 'google'])(
    '%s source: a sync, an outage and refused credentials',
    async name => {
      const rig = await startRig(name);
      const h = await startHarness();
      harnesses.push(h);
      const { logger, lines } = capturingLogger();
      const texts: string[] = [];
      const sync = (doFetch?: typeof fetch) =>
        h.sync({ deps: d => ({ ...d, logger, source: rig.source(d.store, doFetch, logger) }) });
      try {
        texts.push(...reportTexts(await sync()));
        rig.setFaults([{ path: rig.apiPath, status: 503, headers: { 'retry-after': '0' } }]);
        texts.push(...reportTexts(await sync()));
        rig.setFaults([{ status: 401 }]);
        texts.push(...reportTexts(await sync()));
        rig.clearFaults();
      } finally {
        await rig.close();
      }
      const result = findSecrets(
        { logs: lines, errors: texts, store: storeRows(h.env.IDP_SYNC_DB ?? '') },
        [masterKey, ...rig.secrets],
      );
      found.push(...result);
      expect(lines.length).toBeGreaterThan(3);
      expect(result).toEqual([]);
    },
  );

  it('a worker through Redis: job payloads, worker logs and the store', async () => {
    const redis = await testRedis();
    const j = await startJobsHarness(redis.url);
    j.h.writeDirectory(directory);
    const { logger, lines } = capturingLogger();
    const app = createAppContext(loadConfig({ ...j.env, LOG_LEVEL: 'trace' }), {
      logger,
      litellm: { retry: { baseMs: 1, maxMs: 5 } },
    });
    const worker = createSyncWorker({
      settings: app.config.jobs,
      sources: app.config.sources.map(s => s.name),
      depsFor: source => app.depsFor(source),
      logger,
      busyRetryMs: 100,
    });
    try {
      await enqueueFullReconcile(j.queue, { source: 'file', mode: 'full' });
      await j.waitIdle();
      await enqueueUserSync(j.queue, { source: 'file', subject: 'alice' }, { debounceMs: 0 });
      await enqueueUserSync(j.queue, { source: 'file', subject: 'nobody' }, { debounceMs: 0 });
      await j.waitIdle();
      expect(j.h.sim.state().users.map(u => u.user_id)).toContain('alice');
      const dump = await redisDump(redis.url, j.prefix);
      expect(dump.join('\n')).toContain('alice');
      const result = findSecrets(
        { redis: dump, logs: lines, store: storeRows(j.env.IDP_SYNC_DB ?? '') },
        [masterKey],
      );
      found.push(...result);
      expect(result).toEqual([]);
    } finally {
      await worker.close(5_000);
      app.close();
      await j.close();
    }
  });
});

afterAll(async () => (await testRedis()).stop());
