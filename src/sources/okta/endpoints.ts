/**
 * Which Okta rate-limit bucket a request counts against, and the endpoint label calls are
 * reported under. The buckets follow Okta's management rate-limit table; notably
 * `/api/v1/groups/{id}/users` counts against `/api/v1/groups` ("except /api/v1/groups/{id}"), so
 * listing groups and reading their members share one limit.
 *
 * @see https://developer.okta.com/docs/reference/rl-global-mgmt/
 */

/** A rate-limit bucket name, e.g. `groups` or `user-get`. */
export type Bucket =
  | 'apps'
  | 'app-by-id'
  | 'groups'
  | 'group-by-id'
  | 'users'
  | 'user-get'
  | 'user-write'
  | 'token'
  | 'other';

/** Where a request is counted. */
export type EndpointKey = {
  readonly bucket: Bucket;
  /** `GET /api/v1/groups/{id}/users`: the path with ids replaced, for reports. */
  readonly label: string;
};

/** Classifies a request by method and URL (absolute or path-only). */
export function endpointKey(method: string, url: string): EndpointKey {
  const upper = method.toUpperCase();
  const path = new URL(url, 'http://okta.invalid').pathname;
  const parts = path.split('/').filter(part => part !== '');
  const [api, version, collection, id, ...rest] = parts;
  const label = `${upper} /${parts
    .map((part, index) => (index >= 3 && index % 2 === 1 ? '{id}' : part))
    .join('/')}`;
  if (api === 'oauth2' && collection === 'token') {
    return { bucket: 'token', label };
  }
  if (api !== 'api' || version !== 'v1') {
    return { bucket: 'other', label };
  }
  const byId = id !== undefined && rest.length === 0;
  switch (collection) {
    case 'apps':
      return { bucket: byId ? 'app-by-id' : 'apps', label };
    case 'groups':
      return { bucket: byId ? 'group-by-id' : 'groups', label };
    case 'users':
      if (id === undefined) {
        return { bucket: upper === 'GET' || upper === 'POST' ? 'users' : 'other', label };
      }
      if (rest.length === 0) {
        return { bucket: upper === 'GET' ? 'user-get' : 'user-write', label };
      }
      return { bucket: 'other', label };
    default:
      return { bucket: 'other', label };
  }
}
