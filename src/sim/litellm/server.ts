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
import type { AddressInfo } from 'node:net';

import { handleControl, type SimControls } from './control.js';
import { openSimDb } from './db.js';
import { dispatch, type DispatchDeps } from './dispatch.js';
import { createFaultInjector, faultResponse } from './faults.js';
import { readBody, sendResponse } from './http-io.js';
import { apiRoutes } from './routes/index.js';
import { allKeys } from './store/key-store.js';
import { allTeams } from './store/team-store.js';
import { allUsers } from './store/user-store.js';
import { listWrites } from './store/write-log.js';
import type { LiteLLMSimulator, LiteLLMSimulatorOptions, RequestHook, WriteHook } from './types.js';

/** Delays that `close()` can cut short. */
function createSleeper() {
  const pending = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  return {
    sleep: (ms: number) =>
      new Promise<void>(resolve => {
        const entry = { timer: setTimeout(() => (pending.delete(entry), resolve()), ms), resolve };
        pending.add(entry);
      }),
    cancelAll() {
      for (const entry of pending) {
        clearTimeout(entry.timer);
        entry.resolve();
      }
      pending.clear();
    },
  };
}

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
  const faults = createFaultInjector(options.seed ?? 1, options.faults ?? []);
  const sleeper = createSleeper();
  const calls = new Map<string, number>();
  let latencyMs = options.latencyMs ?? 0;
  let requests = 0;
  let closed = false;
  let requestHook: RequestHook | undefined = options.onRequest;
  let writeHook: WriteHook | undefined = options.onWrite;

  const serveApi = async (req: IncomingMessage, res: ServerResponse, url: URL, raw: Buffer) => {
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname;
    const name = `${method} ${path}`;
    calls.set(name, (calls.get(name) ?? 0) + 1);
    requests += 1;
    requestHook?.({ method, path }, requests);
    if (latencyMs > 0) {
      await sleeper.sleep(latencyMs);
    }
    // Faults come before routing, auth and the handler: a faulted write changes nothing.
    const fault = closed ? undefined : faults.match(method, path);
    if (fault?.hangMs) {
      await sleeper.sleep(fault.hangMs);
    }
    if (closed) {
      res.destroy();
      return;
    }
    if (fault) {
      sendResponse(res, faultResponse(fault));
      return;
    }
    const query = url.searchParams;
    const rawQuery = url.search.slice(1);
    const { response, write } = dispatch(deps, {
      method,
      path,
      query,
      rawQuery,
      headers: req.headers,
      rawBody: raw,
    });
    if (write && writeHook) {
      await writeHook(write, write.seq);
    }
    sendResponse(res, response);
  };

  const controls: SimControls = {
    state: () => ({ teams: allTeams(db), users: allUsers(db), keys: allKeys(db) }),
    writes: () => listWrites(db),
    calls: () => Object.fromEntries(calls),
    setFaults: rules => faults.setRules(rules),
    clearFaults: () => faults.clear(),
    setLatency: ms => {
      latencyMs = ms;
    },
    onWrite: hook => {
      writeHook = hook;
    },
    onRequest: hook => {
      requestHook = hook;
    },
    reset: () => {
      db.clear();
      calls.clear();
      faults.clear();
      requests = 0;
    },
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://simulator');
    readBody(req)
      .then(raw =>
        url.pathname.startsWith('/__sim/')
          ? sendResponse(
              res,
              options.control
                ? handleControl(controls, (req.method ?? 'GET').toUpperCase(), url.pathname, raw)
                : { status: 404, body: { detail: 'Not Found' } },
            )
          : serveApi(req, res, url, raw),
      )
      .catch((e: unknown) => {
        sendResponse(res, { status: 500, body: `Internal Server Error: ${String(e)}` });
      });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    ...controls,
    url: `http://${urlHost}:${port}`,
    port,
    close: async () => {
      if (closed) {
        return;
      }
      closed = true;
      sleeper.cancelAll();
      server.closeAllConnections();
      await new Promise<void>(resolve => server.close(() => resolve()));
      db.close();
    },
  };
}
