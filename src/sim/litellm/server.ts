/**
 * The LiteLLM admin API simulator: a real HTTP server over SQLite, with latency, fault and hook
 * knobs for tests and benchmarks.
 *
 * @example
 * ```ts
 * const sim = await createLiteLLMSimulator({ masterKey: 'sk-1234' });
 * await fetch(`${sim.url}/team/new`, { method: 'POST', headers: { authorization: 'Bearer sk-1234' }, body: '{}' });
 * await sim.close();
 * ```
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

import { readBody, sendResponse, textOrJson } from '../shared/http-io.js';
import { createKnobs, knobControls } from '../shared/knobs.js';
import { closeServer, listen } from '../shared/listen.js';
import { createPrng } from '../shared/prng.js';
import { createTally } from '../shared/tally.js';
import { handleControl, type SimControls } from './control.js';
import { openSimDb } from './db.js';
import { dispatch, type DispatchDeps } from './dispatch.js';
import type { SimResponse } from './errors.js';
import { faultResponse } from './faults.js';
import { apiRoutes } from './routes/index.js';
import { allKeys } from './store/key-store.js';
import { allTeams } from './store/team-store.js';
import { allUsers } from './store/user-store.js';
import { listWrites } from './store/write-log.js';
import type { LiteLLMSimulator, LiteLLMSimulatorOptions, RequestHook, WriteHook } from './types.js';

/** Largest accepted request body. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** JSON, or plain text for a string body (Starlette's bare 500). */
const encode = textOrJson();

/** Starts a simulator and resolves once it listens. */
export async function createLiteLLMSimulator(
  options: LiteLLMSimulatorOptions = {},
): Promise<LiteLLMSimulator> {
  const db = openSimDb(options.dbPath ?? ':memory:');
  const deps: DispatchDeps = {
    db,
    routes: apiRoutes,
    masterKey: options.masterKey ?? 'sk-1234',
    settings: {
      premium: options.premium ?? false,
      adminUserId: options.adminUserId === undefined ? 'default_user_id' : options.adminUserId,
    },
  };
  const knobs = createKnobs({
    random: createPrng(options.seed ?? 1).next,
    latencyMs: options.latencyMs,
    faults: options.faults,
  });
  const calls = createTally();
  let requests = 0;
  let requestHook: RequestHook | undefined = options.onRequest;
  let writeHook: WriteHook | undefined = options.onWrite;
  const send = (res: ServerResponse, response: SimResponse) => sendResponse(res, response, encode);

  const serveApi = async (req: IncomingMessage, res: ServerResponse, url: URL, raw: Buffer) => {
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname;
    calls.add(`${method} ${path}`);
    requests += 1;
    requestHook?.({ method, path }, requests);
    await knobs.delay();
    // Faults come before routing, auth and the handler: a faulted write changes nothing.
    const fault = await knobs.fault(method, path);
    if (knobs.closed()) {
      res.destroy();
      return;
    }
    if (fault) {
      send(res, faultResponse(fault));
      return;
    }
    const { response, write } = dispatch(deps, {
      method,
      path,
      query: url.searchParams,
      rawQuery: url.search.slice(1),
      headers: req.headers,
      rawBody: raw,
    });
    if (write && writeHook) {
      await writeHook(write, write.seq);
    }
    send(res, response);
  };

  const controls: SimControls = {
    state: () => ({ teams: allTeams(db), users: allUsers(db), keys: allKeys(db) }),
    writes: () => listWrites(db),
    calls: () => calls.toRecord(),
    ...knobControls(knobs),
    onWrite: hook => {
      writeHook = hook;
    },
    onRequest: hook => {
      requestHook = hook;
    },
    reset: () => {
      db.clear();
      calls.clear();
      knobs.faults.clear();
      requests = 0;
    },
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://simulator');
    readBody(req, MAX_BODY_BYTES)
      .then(raw =>
        url.pathname.startsWith('/__sim/')
          ? send(
              res,
              options.control
                ? handleControl(controls, (req.method ?? 'GET').toUpperCase(), url.pathname, raw)
                : { status: 404, body: { detail: 'Not Found' } },
            )
          : serveApi(req, res, url, raw),
      )
      .catch((e: unknown) => {
        send(res, { status: 500, body: `Internal Server Error: ${String(e)}` });
      });
  });
  const { port, urlHost } = await listen(server, options);
  return {
    ...controls,
    url: `http://${urlHost}:${port}`,
    port,
    close: async () => {
      if (!knobs.close()) {
        return;
      }
      await closeServer(server);
      db.close();
    },
  };
}
