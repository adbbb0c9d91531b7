/**
 * Runs the login hook server for a test: real config loading (`loadServerConfig`), the same
 * wiring as `idp-sync serve` (`composeServerDeps`), listening on 127.0.0.1, logs captured.
 */
import { createServer as createNetServer } from 'node:net';

import type { FastifyInstance } from 'fastify';

import { loadServerConfig } from '../../config/load.js';
import { createLogger } from '../../src/log.js';
import { createServer, type ServerDeps } from '../../src/server/app.js';
import { composeServerDeps } from '../../src/server/compose.js';
import type { JobsHarness } from '../helpers/jobs.js';

export const postLoginUrl = 'http://litellm.test/sso/key/generate';
export const hookSecret = 'hook-secret-0123456789abcdef0123456789';
export const oktaSecret = 'okta-secret-0123456789abcdef';

export type Served = {
  readonly url: string;
  readonly app: FastifyInstance;
  readonly deps: ServerDeps;
  /** Log lines so far (JSON). */
  logs(): string[];
  close(): Promise<void>;
};

/** A free TCP port on 127.0.0.1 (the OP must know the redirect URI before the server starts). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

export async function startServe(
  j: JobsHarness,
  port: number,
  env: Record<string, string> = {},
): Promise<Served> {
  const all = {
    ...j.env,
    HOST: '127.0.0.1',
    PORT: String(port),
    SESSION_SECRET: 'session-secret-0123456789abcdef0123456789',
    POST_LOGIN_REDIRECT_URL: postLoginUrl,
    LOGIN_HOOK_SECRET: hookSecret,
    OKTA_EVENT_HOOK_SECRET: oktaSecret,
    OKTA_EVENT_HOOK_SOURCE: 'file',
    ...env,
  };
  const app = j.app(all);
  const settings = loadServerConfig(all, app.config);
  const lines: string[] = [];
  const logger = createLogger({
    level: 'info',
    destination: { write: (line: string) => void lines.push(line) },
  });
  const composed = composeServerDeps({
    settings,
    jobs: app.config.jobs,
    sources: app.config.sources.map(s => s.name),
    logger,
    store: app.store,
    target: app.target,
  });
  const server = await createServer(composed.deps);
  await server.listen({ host: settings.host, port: settings.port });
  return {
    url: `http://127.0.0.1:${port}`,
    app: server,
    deps: composed.deps,
    logs: () => lines,
    close: async () => {
      await server.close();
      await composed.close();
    },
  };
}

/** The value of one series in Prometheus text, or undefined. */
export function metricValue(text: string, series: string): number | undefined {
  const line = text.split('\n').find(l => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}
