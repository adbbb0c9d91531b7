import { spawn, type ChildProcess } from 'node:child_process';

import { afterEach, describe, expect, it } from 'vitest';

import type { SimWrite } from '../../src/sim/litellm/types.js';
import { comparable, startHarness, type Directory, type Harness } from '../helpers/harness.js';

const directory: Directory = {
  users: Array.from({ length: 12 }, (_, i) => ({ id: `u${i}`, email: `u${i}@example.com` })),
  groups: [
    { id: 'g-a', name: 'ai-a', members: ['u0', 'u1', 'u2', 'u3'] },
    { id: 'g-b', name: 'ai-b', members: ['u4', 'u5', 'u6'], groups: ['g-c'] },
    { id: 'g-c', name: 'ai-c', members: ['u7', 'u8', 'u9', 'u10', 'u11'] },
  ],
};

const writeKey = (w: SimWrite): string => `${w.method} ${w.path} ${JSON.stringify(w.body)}`;

function spawnSync(h: Harness): ChildProcess {
  return spawn(process.execPath, ['bin/idp-sync.js', 'sync'], {
    env: { ...process.env, ...h.env, APPLY_CONCURRENCY: '1' },
    stdio: 'ignore',
  });
}

describe('a sync killed mid-apply', () => {
  const harnesses: Harness[] = [];
  afterEach(async () => {
    await Promise.all(harnesses.splice(0).map(h => h.close()));
  });

  it.each([1, 4, 9, 15])(
    'converges after SIGKILL at write %i, with no write made twice',
    async killAt => {
      const clean = await startHarness();
      harnesses.push(clean);
      clean.writeDirectory(directory);
      expect((await clean.sync()).status).toBe('succeeded');

      const h = await startHarness();
      harnesses.push(h);
      h.writeDirectory(directory);
      const child = spawnSync(h);
      const exited = new Promise<NodeJS.Signals | null>(resolve =>
        child.on('exit', (_code, signal) => resolve(signal)),
      );
      h.sim.onWrite(async (_write, count) => {
        if (count === killAt) {
          // Kill the worker after LiteLLM committed the write but before the worker sees the answer:
          // the worst moment, when the worker cannot know whether its write landed.
          child.kill('SIGKILL');
          await exited;
        }
      });
      expect(await exited).toBe('SIGKILL');
      h.sim.onWrite(undefined);
      const writesBeforeResume = h.sim.writes().length;
      expect(writesBeforeResume).toBe(killAt);

      const resumed = await h.sync();
      expect(resumed.status).toBe('succeeded');
      expect(comparable(h.sim.state())).toEqual(comparable(clean.sim.state()));
      expect(h.sim.writes().map(writeKey).sort()).toEqual(clean.sim.writes().map(writeKey).sort());
      // The grant written ahead of a membership add survives the crash, so it can be removed later.
      const grants = (x: Harness) => [...x.app().store.ownership('file').grants.keys()].sort();
      expect(grants(h)).toEqual(grants(clean));
      const second = await h.sync();
      expect(second.plan?.operations).toEqual([]);
    },
  );
});
