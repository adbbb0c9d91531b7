/**
 * Resource-unit accounting per app (and the one simulated tenant) in fixed windows, as Entra's
 * identity and access limits describe: S/M/L quota by tenant size, 429 when a request would go
 * over, `x-ms-throttle-limit-percentage` once usage passes 0.8 of the limit.
 *
 * Deviations: Entra uses a token bucket; fixed windows aligned on the clock are used here so tests
 * can cross a window by moving the simulated clock. Only the app+tenant resource-unit quota is
 * modelled (not the per-app 150,000/20 s, write quotas, or the global request limit).
 *
 * @see /work/shared/reference/idp-apis.md §A "Errors and throttling"
 */
import type { ThrottleOptions } from '../model.js';

/** Outcome of charging one request. */
export type ThrottleResult =
  { ok: true; usage: number } | { ok: false; retryAfterSeconds: number; usage: number };

/** The accountant. */
export type Throttle = {
  /** Charges `units` to `appId`, or refuses without charging when over the limit. */
  charge(appId: string, units: number): ThrottleResult;
  configure(options: ThrottleOptions): void;
  reset(): void;
};

/** Documented app+tenant quota by tenant size: S < 50 users, M ≤ 500, L above. */
export function tierLimit(userCount: number): number {
  if (userCount < 50) {
    return 3500;
  }
  return userCount <= 500 ? 5000 : 8000;
}

/** Creates an accountant; `userCount` picks the default tier at charge time. */
export function createThrottle(deps: {
  now: () => number;
  userCount: () => number;
  options?: ThrottleOptions | undefined;
}): Throttle {
  let options: ThrottleOptions = { ...deps.options };
  const windows = new Map<string, { start: number; used: number }>();
  return {
    charge: (appId, units) => {
      const limit = options.limit === undefined ? tierLimit(deps.userCount()) : options.limit;
      if (limit === null) {
        return { ok: true, usage: 0 };
      }
      const windowMs = options.windowMs ?? 10_000;
      const now = deps.now();
      const start = Math.floor(now / windowMs) * windowMs;
      const current = windows.get(appId);
      const window = current?.start === start ? current : { start, used: 0 };
      windows.set(appId, window);
      if (window.used + units > limit) {
        const left = Math.max(0, start + windowMs - now);
        return {
          ok: false,
          retryAfterSeconds: options.retryAfterSeconds ?? Math.ceil(left / 1000),
          usage: window.used / limit,
        };
      }
      window.used += units;
      return { ok: true, usage: window.used / limit };
    },
    configure: next => {
      options = { ...options, ...next };
    },
    reset: () => windows.clear(),
  };
}
