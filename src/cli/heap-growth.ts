/**
 * How far V8 lets the heap grow past what is live before its next full collection. By default it
 * picks up to 4× when collecting is cheap, and a full reconcile allocates fast (a request, a
 * response and a parse per LiteLLM call): at L, 184 MB live let the heap reach 738 MB and the run
 * peak at 950 MB RSS. 50 % (growth × 1.5) kept the same run at ~430 MB for ~10 % more CPU
 * (BENCHMARKS.md). `0` leaves V8's own heuristic.
 */
import { setFlagsFromString } from 'node:v8';

/** The variable, and the value used when it is not set. */
export const heapGrowthVariable = 'IDP_SYNC_HEAP_GROWTH_PERCENT';
export const defaultHeapGrowthPercent = 50;

/**
 * Applies IDP_SYNC_HEAP_GROWTH_PERCENT to this process's V8 heap, once at start-up (the
 * composition roots: `bin/idp-sync.js`, the benchmark). A value that is not a whole number in
 * 0–400 is left for configuration checking to report (config/env.ts); nothing is applied then.
 *
 * @returns the percent applied, or `undefined` when V8's default was kept
 */
export function applyHeapGrowth(
  env: Readonly<Record<string, string | undefined>>,
): number | undefined {
  const raw = env[heapGrowthVariable]?.trim() ?? '';
  const percent = raw === '' ? defaultHeapGrowthPercent : Number(raw);
  if (!Number.isInteger(percent) || percent <= 0 || percent > 400) {
    return undefined;
  }
  // V8 reads this flag each time it sets the next collection's limit, so setting it at run time
  // takes effect from the next collection on.
  setFlagsFromString(`--heap-growing-percent=${percent}`);
  return percent;
}
