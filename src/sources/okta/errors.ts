/**
 * Translation of whatever a read throws — the SDK's `OktaApiError` (JSON error bodies) and
 * `HttpError` (other bodies), our own `SyncError`s from the executor, schema failures — into one
 * `SyncError`, with a hint that names the variable to check.
 */
import { OktaApiError } from '@okta/okta-sdk-nodejs';

import { SyncError, errorMessage } from '../../errors.js';

/** How the source authenticates, for hints. */
export type AuthMode = 'token' | 'oauth';

/** The subset of the SDK's errors we read (`OktaApiError` and `HttpError` both have these). */
type HttpFailure = { status: number; message: string; errorCode?: unknown; errorSummary?: unknown };

/** Translates a failed read of `what` (e.g. `GET /api/v1/groups`). */
export function toSyncError(error: unknown, what: string, mode: AuthMode): SyncError {
  if (error instanceof SyncError) {
    return error;
  }
  const failure = httpFailure(error);
  if (failure === undefined) {
    return new SyncError('SOURCE_INVALID_RESPONSE', `${what} failed: ${errorMessage(error)}`, {
      endpoint: what,
      cause: error,
    });
  }
  const code = typeof failure.errorCode === 'string' ? ` ${failure.errorCode}` : '';
  const summary =
    typeof failure.errorSummary === 'string' && failure.errorSummary !== ''
      ? `: ${failure.errorSummary}`
      : '';
  const said = `${failure.status}${code}${summary}`;
  const details = { status: failure.status, endpoint: what, cause: error };
  switch (true) {
    case failure.status === 401:
      return new SyncError(
        'SOURCE_UNAUTHORIZED',
        `Okta rejected the credentials for ${what} (${said}); ${credentialHint(mode)}`,
        details,
      );
    case failure.status === 403:
      return new SyncError(
        'SOURCE_UNAUTHORIZED',
        `Okta refused ${what} (${said}); ${permissionHint(mode)}`,
        details,
      );
    case failure.status === 404:
      return new SyncError('SOURCE_NOT_FOUND', `${what}: not found (${said})`, details);
    case failure.status === 429:
      return new SyncError('SOURCE_RATE_LIMITED', `${what}: rate limited (${said})`, details);
    case failure.status >= 500:
      return new SyncError('SOURCE_UNAVAILABLE', `${what} failed (${said})`, details);
    default:
      return new SyncError('SOURCE_INVALID_RESPONSE', `${what} was refused (${said})`, details);
  }
}

function httpFailure(error: unknown): HttpFailure | undefined {
  if (error instanceof OktaApiError) {
    return error;
  }
  // HttpError (a non-JSON error body) is not exported by the SDK; recognise it by shape.
  if (
    error instanceof Error &&
    error.name === 'HttpError' &&
    'status' in error &&
    typeof error.status === 'number'
  ) {
    return error as unknown as HttpFailure;
  }
  return undefined;
}

function credentialHint(mode: AuthMode): string {
  return mode === 'token'
    ? 'check OKTA_API_TOKEN (revoked, expired after 30 days unused, or from another org?) and OKTA_ORG_URL'
    : 'check OKTA_CLIENT_ID, OKTA_PRIVATE_KEY, OKTA_KEY_ID and OKTA_ORG_URL';
}

function permissionHint(mode: AuthMode): string {
  return mode === 'token'
    ? "the API token's admin lacks permission (a read-only admin role is enough)"
    : 'grant the service app okta.users.read and okta.groups.read (okta.apps.read with OKTA_APP_ID) and a read-only admin role';
}
