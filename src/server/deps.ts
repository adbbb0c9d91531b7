/** What the HTTP layer runs on, built by the composition root (`serve`) or by tests. */
import type { Logger } from '../log.js';
import type { ReplayCache } from './hmac.js';
import type { Issuer } from './issuer.js';
import type { LoginQueue } from './login-queue.js';
import type { ServerMetrics } from './metrics.js';
import type { ServerSettings } from './settings.js';
import type { TokenVerifier } from './verify-token.js';

export type ServerDeps = {
  readonly settings: ServerSettings;
  /** The configured sources (IDP_SOURCES): a hook naming another is refused. */
  readonly sources: readonly string[];
  readonly logger: Logger;
  readonly loginQueue: LoginQueue;
  readonly replay: ReplayCache;
  /** Undefined when OIDC is not configured: `/login` answers 404, bearer tokens are refused. */
  readonly issuer: Issuer | undefined;
  readonly verifyToken: TokenVerifier | undefined;
  readonly metrics: ServerMetrics;
  /** `/readyz` checks by name; each rejects when its dependency is unreachable. */
  readonly readiness: Readonly<Record<string, (signal: AbortSignal) => Promise<unknown>>>;
  /** LOGIN_SYNC_DEBOUNCE_MS, for hook-triggered syncs. */
  readonly loginDebounceMs: number;
  /** Clock in ms. */
  readonly now: () => number;
};
