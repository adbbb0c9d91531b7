/**
 * The Management API routes the simulator serves (under `/api/v2`), over the in-memory tenant.
 * Authentication, rate limits and faults are applied before these run.
 */
import { gzipSync } from 'node:zlib';

import type { SimResponse } from '../shared/http-io.js';
import type { Prng } from '../shared/prng.js';
import { errorAnswer } from './errors.js';
import { checkpointPage, isCheckpoint, offsetPage } from './paging.js';
import { memberJson, newId, userJson, type SimUser, type Tenant } from './tenant.js';

/** How far `GET /users` pages. */
export const userListCap = 1_000;

/** A users-export job and the file it produces. */
export type ExportJob = {
  id: string;
  created_at: string;
  polls: number;
  fields: readonly string[] | undefined;
  file: Buffer;
};

/** What the routes need besides the request. */
export type RouteDeps = {
  readonly tenant: Tenant;
  readonly prng: Prng;
  readonly jobs: Map<string, ExportJob>;
  /** Polls a job answers `processing` before it is `completed`. */
  readonly exportPolls: number;
  /** Where a finished export is downloaded from. */
  readonly exportUrl: (jobId: string) => string;
  readonly nowIso: () => string;
};

/** One API request, path relative to `/api/v2`. */
export type ApiRequest = {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: unknown;
};

/** Route templates, for call counters: `GET /roles/{id}/users`. */
export function routeTemplate(method: string, path: string): string {
  return `${method} ${path.replace(/^\/(roles|organizations|users|jobs)\/(?!users-exports$)[^/]+/, '/$1/{id}')}`;
}

/** Serves one API request. */
export function serveApi(deps: RouteDeps, request: ApiRequest): SimResponse {
  const { tenant } = deps;
  const { method, query } = request;
  const parts = request.path
    .split('/')
    .filter(part => part !== '')
    .map(decodeURIComponent);
  const [collection, id, sub] = parts;
  const members = (ids: Iterable<string>) =>
    [...ids].flatMap(userId => {
      const user = tenant.users.get(userId);
      return user === undefined ? [] : [memberJson(user)];
    });
  const listOf = (items: readonly unknown[], key: string, checkpointAllowed: boolean) =>
    checkpointAllowed && isCheckpoint(query)
      ? checkpointPage(items, query, key)
      : offsetPage(items, query, key);

  if (method === 'GET' && collection === 'roles' && id === undefined) {
    const filter = query.get('name_filter')?.toLowerCase();
    const roles = [...tenant.roles.values()]
      .filter(role => filter === undefined || role.name.toLowerCase().includes(filter))
      .map(role => ({ id: role.id, name: role.name, description: role.description }));
    return offsetPage(roles, query, 'roles');
  }
  if (
    method === 'GET' &&
    collection === 'roles' &&
    id !== undefined &&
    sub === 'users' &&
    parts.length === 3
  ) {
    const role = tenant.roles.get(id);
    return role === undefined
      ? errorAnswer(404, 'The role does not exist.', 'inexistent_role')
      : listOf(members(role.members), 'users', true);
  }
  if (method === 'GET' && collection === 'organizations' && id === undefined) {
    const orgs = [...tenant.organizations.values()].map(org => ({
      id: org.id,
      name: org.name,
      ...(org.display_name === undefined ? {} : { display_name: org.display_name }),
    }));
    return listOf(orgs, 'organizations', true);
  }
  if (
    method === 'GET' &&
    collection === 'organizations' &&
    id !== undefined &&
    sub === 'members' &&
    parts.length === 3
  ) {
    const org = tenant.organizations.get(id);
    return org === undefined
      ? errorAnswer(404, 'No organization found by that id or name', 'inexistent_organization')
      : listOf(members(org.members), 'members', true);
  }
  if (method === 'GET' && collection === 'users' && id === undefined) {
    return offsetPage([...tenant.users.values()].map(userJson), query, 'users', userListCap);
  }
  if (method === 'GET' && collection === 'users' && id !== undefined) {
    const user = tenant.users.get(id);
    if (user === undefined) {
      return errorAnswer(404, 'The user does not exist.', 'inexistent_user');
    }
    if (parts.length === 2) {
      return { status: 200, body: userJson(user) };
    }
    if (sub === 'roles' && parts.length === 3) {
      const roles = [...tenant.roles.values()]
        .filter(role => role.members.has(id))
        .map(role => ({ id: role.id, name: role.name, description: role.description }));
      return offsetPage(roles, query, 'roles');
    }
    if (sub === 'organizations' && parts.length === 3) {
      const orgs = [...tenant.organizations.values()]
        .filter(org => org.members.has(id))
        .map(org => ({ id: org.id, name: org.name, display_name: org.display_name }));
      return offsetPage(orgs, query, 'organizations');
    }
  }
  if (method === 'GET' && collection === 'users-by-email' && parts.length === 1) {
    const email = query.get('email');
    if (email === null || email === '') {
      return errorAnswer(
        400,
        'Query validation error: Missing required property: email',
        'invalid_query_string',
      );
    }
    // Exact comparison, as documented ("case-sensitive"); stored e-mails are lower-case.
    return {
      status: 200,
      body: [...tenant.users.values()].filter(u => u.email === email).map(userJson),
    };
  }
  if (method === 'POST' && collection === 'jobs' && id === 'users-exports' && parts.length === 2) {
    return createExport(deps, request.body);
  }
  if (method === 'GET' && collection === 'jobs' && id !== undefined && parts.length === 2) {
    const job = deps.jobs.get(id);
    if (job === undefined) {
      return errorAnswer(404, 'The job does not exist.', 'inexistent_job');
    }
    job.polls += 1;
    const done = job.polls > deps.exportPolls;
    return {
      status: 200,
      body: {
        id: job.id,
        type: 'users_export',
        format: 'json',
        created_at: job.created_at,
        status: done ? 'completed' : 'processing',
        ...(done
          ? { location: deps.exportUrl(job.id), percentage_done: 100 }
          : {
              percentage_done: Math.floor((100 * job.polls) / (deps.exportPolls + 1)),
              time_left_seconds: 1,
            }),
      },
    };
  }
  return errorAnswer(404, 'Not Found');
}

/** `POST /jobs/users-exports`: the file is cut now, from the tenant as it is at creation. */
function createExport(deps: RouteDeps, body: unknown): SimResponse {
  const request = (typeof body === 'object' && body !== null ? body : {}) as Record<
    string,
    unknown
  >;
  if (
    request['format'] !== undefined &&
    request['format'] !== 'json' &&
    request['format'] !== 'csv'
  ) {
    return errorAnswer(400, 'Payload validation error: format must be json or csv', 'invalid_body');
  }
  if (request['format'] === 'csv') {
    return errorAnswer(400, 'The simulator only produces json exports', 'invalid_body');
  }
  const rawFields = request['fields'];
  const fields = Array.isArray(rawFields)
    ? rawFields.map(field => String((field as { name?: unknown }).name))
    : undefined;
  const pick = (user: SimUser): Record<string, unknown> => {
    const json = userJson(user);
    return fields === undefined
      ? json
      : Object.fromEntries(fields.filter(f => f in json).map(f => [f, json[f]]));
  };
  const lines = [...deps.tenant.users.values()].map(user => JSON.stringify(pick(user)));
  const job: ExportJob = {
    id: newId(deps.prng, 'job_'),
    created_at: deps.nowIso(),
    polls: 0,
    fields,
    file: gzipSync(lines.join('\n') + (lines.length > 0 ? '\n' : '')),
  };
  deps.jobs.set(job.id, job);
  return {
    status: 201,
    body: {
      id: job.id,
      type: 'users_export',
      status: 'pending',
      format: 'json',
      created_at: job.created_at,
    },
  };
}
