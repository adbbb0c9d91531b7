/**
 * The route contract: a route is a method, a path, LiteLLM's error style for that endpoint and a
 * synchronous handler that runs inside one SQLite transaction.
 */
import type { SimDb } from './db.js';
import type { ErrorStyle, SimResponse } from './errors.js';

/** The authenticated caller, as LiteLLM's `UserAPIKeyAuth` describes it. */
export type Caller = {
  /** The key as sent. */
  apiKey: string;
  /** `default_user_id` for the master key; the key's owner otherwise. */
  userId: string | null;
  role: string;
};

/** Behaviour switches the handlers read. */
export type SimSettings = {
  premium: boolean;
  adminUserId: string | null;
};

/** What a handler gets. */
export type RouteContext = {
  db: SimDb;
  body: unknown;
  query: URLSearchParams;
  /** The undecoded query string (LiteLLM re-reads `user_id` from it to keep `+`). */
  rawQuery: string;
  caller: Caller;
  settings: SimSettings;
};

/** One admin API endpoint. */
export type Route = {
  method: 'GET' | 'POST';
  path: string;
  errorStyle: ErrorStyle;
  handle(ctx: RouteContext): SimResponse;
};

/** Finds the route for a request, or FastAPI's 404 / 405 answer. */
export function findRoute(
  routes: readonly Route[],
  method: string,
  path: string,
): Route | SimResponse {
  const onPath = routes.filter(r => r.path === path);
  if (onPath.length === 0) {
    return { status: 404, body: { detail: 'Not Found' } };
  }
  const route = onPath.find(r => r.method === method);
  if (route === undefined) {
    return {
      status: 405,
      body: { detail: 'Method Not Allowed' },
      headers: { allow: onPath.map(r => r.method).join(', ') },
    };
  }
  return route;
}

/** A 200 JSON answer. */
export function ok(body: unknown): SimResponse {
  return { status: 200, body };
}
