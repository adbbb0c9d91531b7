/**
 * How far V8 lets the heap grow past what is live before its next full collection. By default it
 * picks up to 4× when collecting is cheap, and a full reconcile allocates fast (a request, a
 * response and a parse per LiteLLM call): at L, 184 MB live let the heap reach 738 MB and the run
 * peak at 950 MB RSS. 50 % (growth × 1.5) kept the same run at ~430 MB for ~10 % more CPU
 * (BENCHMARKS.md). `0` leaves V8's own heuristic.
 */
import { setFlagsFromString } from 'node:v8';

import { envSchema } from '../../config/env.js';

/**
 * Applies IDP_SYNC_HEAP_GROWTH_PERCENT to this process's V8 heap, once at start-up (the
 * composition roots: `bin/idp-sync.js`, the benchmark), read through the same schema as the rest
 * of the configuration (default 50). An invalid value applies nothing here; configuration
 * checking reports it under the variable's name.
 *
 * @returns the percent applied, or `undefined` when V8's default was kept
 */
export function applyHeapGrowth(
  env: Readonly<Record<string, string | undefined>>,
): number | undefined {
  const parsed = envSchema.shape.IDP_SYNC_HEAP_GROWTH_PERCENT.safeParse(
    env['IDP_SYNC_HEAP_GROWTH_PERCENT'],
  );
  if (!parsed.success || parsed.data === 0) {
    return undefined;
  }
  // V8 reads this flag each time it sets the next collection's limit, so setting it at run time
  // takes effect from the next collection on.
  setFlagsFromString(`--heap-growing-percent=${parsed.data}`);
  return parsed.data;
}
