import { describe, expect, it } from 'vitest';
import { createLimiter, mapLimit } from '../../../src/http/limit.js';

const tick = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms));

describe('createLimiter', () => {
  it('never runs more than `concurrency` tasks at once, and uses every slot', async () => {
    const limiter = createLimiter(3);
    let running = 0;
    let peak = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        limiter.run(async () => {
          running += 1;
          peak = Math.max(peak, running);
          await tick(2);
          running -= 1;
          return i;
        }),
      ),
    );
    expect(peak).toBe(3);
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(limiter.active).toBe(0);
    expect(limiter.pending).toBe(0);
  });

  it('frees the slot when a task throws', async () => {
    const limiter = createLimiter(1);
    await expect(limiter.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limiter.run(() => Promise.resolve('next'))).resolves.toBe('next');
  });

  it('reports active and pending tasks', async () => {
    const limiter = createLimiter(1);
    let release = (): void => {};
    const first = limiter.run(() => new Promise<void>(resolve => (release = resolve)));
    const second = limiter.run(() => Promise.resolve());
    await tick(1);
    expect(limiter.active).toBe(1);
    expect(limiter.pending).toBe(1);
    release();
    await Promise.all([first, second]);
    expect(limiter.active).toBe(0);
  });

  it('rejects a concurrency below 1', () => {
    expect(() => createLimiter(0)).toThrow(RangeError);
    expect(() => createLimiter(1.5)).toThrow(RangeError);
  });

  it('keeps separate limiters independent', async () => {
    const a = createLimiter(1);
    const b = createLimiter(1);
    let release = (): void => {};
    const blocked = a.run(() => new Promise<void>(resolve => (release = resolve)));
    await expect(b.run(() => Promise.resolve('free'))).resolves.toBe('free');
    release();
    await blocked;
  });
});

describe('mapLimit', () => {
  it('returns settled results in input order, not completion order', async () => {
    const results = await mapLimit([30, 1, 10, 0], 2, async (ms, index) => {
      await tick(ms);
      if (index === 2) {
        throw new Error('third failed');
      }
      return ms * 2;
    });
    expect(results.map(r => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(results[0]).toEqual({ status: 'fulfilled', value: 60 });
    expect(results[3]).toEqual({ status: 'fulfilled', value: 0 });
  });

  it('bounds concurrency', async () => {
    let running = 0;
    let peak = 0;
    await mapLimit(Array.from({ length: 12 }), 4, async () => {
      running += 1;
      peak = Math.max(peak, running);
      await tick(2);
      running -= 1;
    });
    expect(peak).toBe(4);
  });

  it('handles an empty list', async () => {
    await expect(mapLimit([], 2, () => Promise.resolve(1))).resolves.toEqual([]);
  });
});
