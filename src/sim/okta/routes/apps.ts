/**
 * App group assignments: which groups are assigned to an app (the "groups assigned to the Okta
 * app" scope), paged like every Okta list. Reading them needs `okta.apps.read`.
 *
 * The page limits (default 20, maximum 200) are UNVERIFIED.
 */
import { assignmentJson } from '../okta-json.js';
import { byId, okPage } from '../paging.js';
import { noContent, ok, type Route } from '../router.js';
import type { SimGroup } from '../types.js';

/** The app group assignment routes. */
export const appRoutes: readonly Route[] = [
  {
    method: 'GET',
    pattern: '/api/v1/apps/:appId/groups',
    scope: 'okta.apps.read',
    handle({ directory, params, url, orgUrl }) {
      const app = directory.app(params['appId'] ?? '');
      const assigned = app.groups
        .map((id, priority) => ({ group: directory.groups.get(id), priority }))
        .filter((a): a is { group: SimGroup; priority: number } => a.group !== undefined)
        .sort((a, b) => byId(a.group, b.group));
      return okPage(
        assigned,
        { url, orgUrl },
        {
          idOf: a => a.group.id,
          limits: { defaultLimit: 20, maxLimit: 200 },
          render: a => assignmentJson(app, a.group, a.priority, orgUrl),
        },
      );
    },
  },
  {
    method: 'PUT',
    pattern: '/api/v1/apps/:appId/groups/:groupId',
    scope: 'okta.apps.manage',
    handle({ directory, params, orgUrl }) {
      const app = directory.app(params['appId'] ?? '');
      const group = directory.group(params['groupId'] ?? '');
      directory.assignGroup(app.id, group.id);
      return ok(assignmentJson(app, group, app.groups.indexOf(group.id), orgUrl));
    },
  },
  {
    method: 'DELETE',
    pattern: '/api/v1/apps/:appId/groups/:groupId',
    scope: 'okta.apps.manage',
    handle({ directory, params }) {
      directory.unassignGroup(params['appId'] ?? '', params['groupId'] ?? '');
      return noContent();
    },
  },
];
