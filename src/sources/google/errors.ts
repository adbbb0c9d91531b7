/**
 * Translation of whatever a Directory API read throws — gaxios errors (recognised by shape: the
 * package is the SDK's, not ours), our own `SyncError`s from the transport, schema failures —
 * into one `SyncError` whose message names the variable to check.
 */
import { SyncError, errorMessage } from '../../errors.js';
import { googleErrorReasons } from './transport.js';

/** The parts of a `GaxiosError` we read. */
type HttpFailure = {
  readonly status: number;
  readonly message: string;
  readonly url: string;
  readonly text: string;
};

/** Translates a failed read of `what` (e.g. `GET users`). */
export function toSyncError(error: unknown, what: string): SyncError {
  if (error instanceof SyncError) {
    return error;
  }
  const nested = error instanceof Error ? error.cause : undefined;
  if (nested instanceof SyncError) {
    return nested;
  }
  const failure = httpFailure(error);
  if (failure === undefined) {
    return new SyncError('SOURCE_INVALID_RESPONSE', `${what} failed: ${errorMessage(error)}`, {
      endpoint: what,
      cause: error,
    });
  }
  const reasons = googleErrorReasons(failure.text);
  const said = `${failure.status}${reasons.length > 0 ? ` ${reasons.join(',')}` : ''}: ${failure.message}`;
  const details = { status: failure.status, endpoint: what, cause: error };
  if (failure.url.includes('/token')) {
    return new SyncError(
      'SOURCE_UNAUTHORIZED',
      `Google refused the service-account token (${said}); check GOOGLE_SERVICE_ACCOUNT_KEY_FILE / GOOGLE_SERVICE_ACCOUNT_JSON, GOOGLE_ADMIN_SUBJECT, and that domain-wide delegation grants the admin.directory.user.readonly and admin.directory.group.readonly scopes to the service account's client id`,
      details,
    );
  }
  switch (true) {
    case failure.status === 401:
      return new SyncError(
        'SOURCE_UNAUTHORIZED',
        `Google rejected the credentials for ${what} (${said}); check the service-account key and GOOGLE_ADMIN_SUBJECT`,
        details,
      );
    case failure.status === 429 ||
      reasons.some(reason => /RateLimitExceeded|quotaExceeded/i.test(reason)):
      return new SyncError('SOURCE_RATE_LIMITED', `${what}: quota exhausted (${said})`, details);
    case failure.status === 403:
      return new SyncError(
        'SOURCE_UNAUTHORIZED',
        `Google refused ${what} (${said}); GOOGLE_ADMIN_SUBJECT must be an admin allowed to read users and groups, and GOOGLE_CUSTOMER_ID their account (or my_customer)`,
        details,
      );
    case failure.status === 404:
      return new SyncError('SOURCE_NOT_FOUND', `${what}: not found (${said})`, details);
    case failure.status >= 500:
      return new SyncError('SOURCE_UNAVAILABLE', `${what} failed (${said})`, details);
    default:
      return new SyncError('SOURCE_INVALID_RESPONSE', `${what} was refused (${said})`, details);
  }
}

function httpFailure(error: unknown): HttpFailure | undefined {
  if (!(error instanceof Error) || !('response' in error)) {
    return undefined;
  }
  const response = (error as { response?: unknown }).response;
  if (typeof response !== 'object' || response === null || !('status' in response)) {
    return undefined;
  }
  const { status, data, config } = response as {
    status: unknown;
    data?: unknown;
    config?: unknown;
  };
  if (typeof status !== 'number') {
    return undefined;
  }
  const url =
    typeof config === 'object' && config !== null && 'url' in config ? String(config.url) : '';
  return {
    status,
    message: error.message,
    url,
    text: typeof data === 'string' ? data : JSON.stringify(data ?? null),
  };
}
