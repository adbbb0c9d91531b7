/**
 * Issue 11, part 2: the CLI `sync` killed with SIGKILL at 20 seeded points of an apply, and the
 * store file locked by another process. Every case converges on the next run: the LiteLLM state
 * and write log equal the uninterrupted run's, with no write made twice.
 */
import { spawn, type ChildProcess } from 'node:child_process';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createPrng } from '../../src/sim/shared/prng.js';
import { startHarness, type Directory, type Harness } from '../helpers/harness.js';
import { extraWrites, fullState } from './fault-kit.js';

const directory: Directory = {
  users: Array.from({ length: 16 }, (_, i) => ({
    id: `u${i}`,
    email: `u${i}@example.com`,
    name: `User ${i}`,
  })),
  groups: [
    { id: 'g-a', name: 'ai-a', members: ['u0', 'u1', 'u2', 'u3', 'u4'] },
    { id: 'g-b', name: 'ai-b', members: ['u5', 'u6', 'u7'], groups: ['g-c'] },
    { id: 'g-c', name: 'ai-c', members: ['u8', 'u9', 'u10', 'u11'] },
    { id: 'g-d', name: 'ai-d', members: ['u12', 'u13', 'u14', 'u15', 'u0'] },
  ],
};

/** How many kill points, drawn without repeats from a seeded PRNG over the reference's writes. */
const killPointCount = 20;

function spawnSync(h: Harness): ChildProcess {
  return spawn(process.execPath, ['bin/idp-sync.js', 'sync'], {
    env: { ...process.env, ...h.env, APPLY_CONCURRENCY: '1' },
    stdio: 'ignore',
  });
}

/** `count` distinct integers in [1, max], from seed 11. */
function killPoints(max: number, count: number): number[] {
  const prng = createPrng(11);
  const points = new Set<number>();
  while (points.size < Math.min(count, max)) {
    points.add(1 + prng.int(max));
  }
  return [...points].sort((a, b) => a - b);
}

describe('a sync killed at seeded points of its apply', () => {
  let reference: Harness;
  const tally = { points: 0, differences: 0, duplicates: 0 };
  beforeAll(async () => {
    reference = await startHarness();
    reference.writeDirectory(directory);
    expect((await reference.sync()).status).toBe('succeeded');
  });
  afterAll(async () => {
    await reference.close();
    console.log(
      `crash points: ${tally.points} SIGKILLs, state differences ${tally.differences}, duplicate writes ${tally.duplicates}`,
    );
  });

  it(
    `converges after SIGKILL at each of ${killPointCount} seeded writes, none twice`,
    { timeout: 180_000 },
    async () => {
      const total = reference.sim.writes().length;
      expect(total).toBeGreaterThanOrEqual(killPointCount + 4);
      const points = killPoints(total, killPointCount);
      const runOne = async (killAt: number) => {
        const h = await startHarness();
        try {
          h.writeDirectory(directory);
          const child = spawnSync(h);
          const exited = new Promise<NodeJS.Signals | null>(resolve =>
            child.on('exit', (_code, signal) => resolve(signal)),
          );
          h.sim.onWrite(async (_write, count) => {
            if (count === killAt) {
              // After LiteLLM committed, before the worker sees the answer.
              child.kill('SIGKILL');
              await exited;
            }
          });
          expect(await exited).toBe('SIGKILL');
          h.sim.onWrite(undefined);
          expect(h.sim.writes()).toHaveLength(killAt);
          expect((await h.sync()).status).toBe('succeeded');
          const same =
            JSON.stringify(fullState(h.sim.state())) ===
            JSON.stringify(fullState(reference.sim.state()));
          const extra = extraWrites(h.sim.writes(), reference.sim.writes());
          tally.points += 1;
          tally.differences += same ? 0 : 1;
          tally.duplicates += extra.length;
          expect(fullState(h.sim.state())).toEqual(fullState(reference.sim.state()));
          expect({
            killAt,
            extra,
            missing: extraWrites(reference.sim.writes(), h.sim.writes()),
          }).toEqual({ killAt, extra: [], missing: [] });
          expect((await h.sync()).plan?.operations).toEqual([]);
        } finally {
          await h.close();
        }
      };
      // Two at a time: each kill point starts a CLI process of its own.
      for (let i = 0; i < points.length; i += 2) {
        await Promise.all(points.slice(i, i + 2).map(runOne));
      }
      expect(tally.points).toBe(killPointCount);
    },
  );

  it(
    'fails clearly while another process holds the store locked, corrupts nothing, converges after',
    { timeout: 60_000 },
    async () => {
      const h = await startHarness();
      try {
        h.writeDirectory(directory);
        expect((await h.sync()).status).toBe('succeeded');
        h.writeDirectory({
          ...directory,
          users: [...directory.users, { id: 'u16', email: 'u16@example.com' }],
          groups: [{ id: 'g-e', name: 'ai-e', members: ['u16'] }, ...directory.groups],
        });
        const before = fullState(h.sim.state());
        const writes = h.sim.writes().length;
        const db = h.env.IDP_SYNC_DB ?? '';
        // A second process takes an exclusive SQLite lock on the store and keeps it.
        const holder = spawn(
          process.execPath,
          [
            '-e',
            `const D=require('better-sqlite3');const d=new D(${JSON.stringify(db)});d.exec('BEGIN EXCLUSIVE');console.log('locked');setInterval(()=>{},1000);`,
          ],
          { stdio: ['ignore', 'pipe', 'inherit'] },
        );
        await new Promise<void>(resolve => holder.stdout?.once('data', () => resolve()));
        const started = Date.now();
        const out = await h.cli(['sync']);
        holder.kill('SIGKILL');
        await new Promise(resolve => holder.once('exit', resolve));
        expect(out.code, out.stderr).not.toBe(0);
        expect(out.stderr).toMatch(/lock|busy/i);
        expect(out.stderr).toMatch(/IDP_SYNC_DB/);
        expect(Date.now() - started).toBeLessThan(30_000);
        expect(fullState(h.sim.state())).toEqual(before);
        expect(h.sim.writes().length).toBe(writes);
        const after = await h.cli(['sync']);
        expect(after.code, after.stderr).toBe(0);
        expect(h.sim.state().teams.map(t => t.team_alias)).toContain('ai-e');
        expect((await h.sync()).plan?.operations).toEqual([]);
      } finally {
        await h.close();
      }
    },
  );
});
