/**
 * One error type for the whole worker: a stable string code, a `retryable` flag and the original
 * error as `cause`. Lower-layer errors are translated where they happen (HTTP clients, parsers).
 */

/** Every failure the worker names. */
export type SyncErrorCode =
  | 'CONFIG_INVALID'
  | 'SOURCE_UNAUTHORIZED'
  | 'SOURCE_UNAVAILABLE'
  | 'SOURCE_RATE_LIMITED'
  | 'SOURCE_INVALID_RESPONSE'
  | 'SOURCE_NOT_FOUND'
  | 'TARGET_UNAUTHORIZED'
  | 'TARGET_UNAVAILABLE'
  | 'TARGET_RATE_LIMITED'
  | 'TARGET_INVALID_RESPONSE'
  | 'TARGET_REJECTED'
  | 'TARGET_NOT_FOUND'
  | 'STORE_FAILED'
  | 'ABORTED';

const retryableCodes: ReadonlySet<SyncErrorCode> = new Set([
  'SOURCE_UNAVAILABLE',
  'SOURCE_RATE_LIMITED',
  'TARGET_UNAVAILABLE',
  'TARGET_RATE_LIMITED',
]);

/** Extra facts an error carries; never secrets. */
export type SyncErrorDetails = {
  readonly status?: number | undefined;
  readonly endpoint?: string | undefined;
  /** How long the remote side asked us to wait before trying again (`Retry-After`). */
  readonly retryAfterMs?: number | undefined;
  readonly cause?: unknown;
};

/** The worker's error. `retryable` says whether the same call may succeed later. */
export class SyncError extends Error {
  readonly code: SyncErrorCode;
  readonly retryable: boolean;
  readonly status: number | undefined;
  readonly endpoint: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(code: SyncErrorCode, message: string, details: SyncErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'SyncError';
    this.code = code;
    this.retryable = retryableCodes.has(code);
    this.status = details.status;
    this.endpoint = details.endpoint;
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** Thrown when configuration is unusable; `issues` are path-qualified ("IDP_SOURCES: …"). */
export class ConfigError extends Error {
  readonly issues: readonly string[];

  constructor(issues: readonly string[]) {
    super(`Invalid configuration:\n${issues.map(issue => `  - ${issue}`).join('\n')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/** The message of anything thrown, without assuming it is an Error. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    return error.message;
  }
  return String(error);
}
