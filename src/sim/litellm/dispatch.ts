/**
 * One admin API request, in FastAPI's order: routing (404/405), body decoding (422
 * `json_invalid`), authentication (401), then the handler — validation first — inside a single
 * SQLite transaction that also appends the write-log entry of a successful write.
 */
import type { IncomingHttpHeaders } from 'node:http';

import { authenticate } from './auth.js';
import type { SimDb } from './db.js';
import { toErrorResponse, type SimResponse } from './errors.js';
import { decodeBody } from './http-io.js';
import { findRoute, type Route, type SimSettings } from './router.js';
import { appendWrite } from './store/write-log.js';
import type { SimWrite } from './types.js';

/** What every request shares. */
export type DispatchDeps = {
  db: SimDb;
  routes: readonly Route[];
  masterKey: string;
  settings: SimSettings;
};

/** One decoded HTTP request. */
export type DispatchRequest = {
  method: string;
  path: string;
  query: URLSearchParams;
  rawQuery: string;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
};

/** The answer, plus the write-log entry when state changed. */
export type DispatchResult = { response: SimResponse; write?: SimWrite };

/** Runs one request against the database. Synchronous: better-sqlite3 is. */
export function dispatch(deps: DispatchDeps, req: DispatchRequest): DispatchResult {
  const found = findRoute(deps.routes, req.method, req.path);
  if (!('handle' in found)) {
    return { response: found };
  }
  const route = found;
  let body: unknown;
  if (route.method === 'POST') {
    const decoded = decodeBody(req.rawBody, req.headers['content-type']);
    if (!decoded.ok) {
      return { response: decoded.response };
    }
    body = decoded.body;
  }
  const { db, settings } = deps;
  try {
    const caller = authenticate(db, req.headers, deps.masterKey, settings.adminUserId, req.path);
    return db.transaction(() => {
      const response = route.handle({
        db,
        body,
        query: req.query,
        rawQuery: req.rawQuery,
        caller,
        settings,
      });
      if (route.method !== 'POST' || response.status >= 400) {
        return { response };
      }
      const entry = { method: req.method, path: req.path, body, status: response.status };
      return { response, write: appendWrite(db, entry) };
    });
  } catch (e) {
    // The transaction has rolled back: a refused request leaves no trace.
    return { response: toErrorResponse(e, route.errorStyle) };
  }
}
