/**
 * Translation of whatever the SDK throws — `ManagementError` (and its per-status subclasses),
 * timeouts, schema failures — into one `SyncError`, with a hint naming what to check.
 */
import { ManagementError } from 'auth0';

import { SyncError, errorMessage } from '../../errors.js';

/** Translates a failed read of `what` (e.g. `GET /roles`). */
export function toSyncError(error: unknown, what: string): SyncError {
  if (error instanceof SyncError) {
    return error;
  }
  if (!(error instanceof ManagementError) || error.statusCode === undefined) {
    return new SyncError('SOURCE_UNAVAILABLE', `Auth0 ${what} failed: ${errorMessage(error)}`, {
      endpoint: what,
      cause: error,
    });
  }
  const status = error.statusCode;
  const said = `${status}${describeBody(error.body)}`;
  const details = { status, endpoint: what, cause: error };
  if (status === 401) {
    return new SyncError(
      'SOURCE_UNAUTHORIZED',
      `Auth0 rejected the token for ${what} (${said}); check AUTH0_DOMAIN, AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET`,
      details,
    );
  }
  if (status === 403) {
    return new SyncError(
      'SOURCE_UNAUTHORIZED',
      `Auth0 refused ${what} (${said}); authorise the application for the Management API with read:users, read:roles and read:organizations (and create:users_exports_jobs / read:users for exports)`,
      details,
    );
  }
  if (status === 404) {
    return new SyncError('SOURCE_NOT_FOUND', `Auth0 ${what}: not found (${said})`, details);
  }
  if (status === 429) {
    return new SyncError('SOURCE_RATE_LIMITED', `Auth0 ${what}: rate limited (${said})`, details);
  }
  if (status === 408 || status >= 500) {
    return new SyncError('SOURCE_UNAVAILABLE', `Auth0 ${what} failed (${said})`, details);
  }
  return new SyncError('SOURCE_INVALID_RESPONSE', `Auth0 ${what} was refused (${said})`, details);
}

/** ` too_many_requests: Global limit has been reached` from a Management error body. */
function describeBody(body: unknown): string {
  if (typeof body !== 'object' || body === null) {
    return '';
  }
  const record = body as Record<string, unknown>;
  const code = typeof record['errorCode'] === 'string' ? ` ${record['errorCode']}` : '';
  const message = typeof record['message'] === 'string' ? `: ${record['message']}` : '';
  return `${code}${message}`;
}
