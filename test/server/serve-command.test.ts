import { afterAll, describe, expect, it } from 'vitest';

import { loadServerConfig } from '../../config/load.js';
import { runServe } from '../../src/cli/commands/serve.js';
import { startJobsHarness } from '../helpers/jobs.js';
import { testRedis } from '../helpers/redis.js';
import { hookSecret } from './serve-harness.js';

describe('idp-sync serve', () => {
  afterAll(async () => (await testRedis()).stop());

  it('listens, answers /healthz, and stops cleanly when told to', async () => {
    const j = await startJobsHarness((await testRedis()).url);
    try {
      const env = { ...j.env, HOST: '127.0.0.1', PORT: '0', LOGIN_HOOK_SECRET: hookSecret };
      const app = j.app(env);
      let stop: (why: string) => void = () => undefined;
      const stopped = new Promise<string>(resolve => (stop = resolve));
      const lines: string[] = [];
      const listening = new Promise<string>(resolve => {
        void runServe(
          app,
          loadServerConfig(env, app.config),
          { line: t => lines.push(t), json: () => undefined, error: t => lines.push(t) },
          {
            stop: stopped,
            onListening: resolve,
          },
        ).then(code => lines.push(`exit ${code}`));
      });
      const url = await listening;
      expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok' });
      stop('test');
      await expect.poll(() => lines.at(-1)).toBe('exit 0');
      expect(lines[0]).toMatch(
        /^idp-sync serve: listening on http:\/\/127\.0\.0\.1:\d+ \(POST \/hooks\/login; \/healthz, \/readyz, \/metrics\)$/,
      );
    } finally {
      await j.close();
    }
  });
});
