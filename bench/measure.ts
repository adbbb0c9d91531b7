/** CPU, RSS and call-count bookkeeping around one benchmark step. */
import process from 'node:process';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
/** A full garbage collection, so an RSS figure is not a matter of when V8 last collected. */
export const collectGarbage = runInNewContext('gc') as () => void;

/** Samples this process's RSS every `everyMs` until stopped; returns the peak (bytes). */
export function sampleRss(everyMs = 25): { stop(): number } {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage.rss());
    },
  };
}

/** User + system CPU time (ms) spent by this process while `fn` ran (all async work included). */
export async function withCpu<T>(
  fn: () => Promise<T>,
): Promise<{ value: T; cpuMs: number; wallMs: number; peakRssBytes: number }> {
  const rss = sampleRss();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = await fn();
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { value, cpuMs: (used.user + used.system) / 1000, wallMs, peakRssBytes: rss.stop() };
}

/** CPU time (ms) of a synchronous call, best of `repeat` runs (less noise from other work). */
export function syncCpu<T>(fn: () => T, repeat = 1): { value: T; cpuMs: number } {
  let best = Number.POSITIVE_INFINITY;
  let value: T | undefined;
  for (let i = 0; i < repeat; i += 1) {
    const cpu = process.cpuUsage();
    value = fn();
    const used = process.cpuUsage(cpu);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return { value: value as T, cpuMs: best };
}

/** `after - before` per key, dropping zeros. */
export function diffCounts(
  before: Readonly<Record<string, number>>,
  after: Readonly<Record<string, number>>,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(after)) {
    const delta = value - (before[key] ?? 0);
    if (delta !== 0) {
      out[key] = delta;
    }
  }
  return out;
}

export function sum(counts: Readonly<Record<string, number>>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}
