/**
 * The login hook server's routes, and nothing else: each route's handler lives in its own module
 * (oidc.ts, login-hook.ts, okta-hook.ts, health.ts), and none holds business logic: they
 * authenticate, parse, and enqueue.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';

import type { ServerDeps } from './deps.js';
import { createHealthHandler, createReadyHandler } from './health.js';
import { createLoginHookHandler, loginHookBodyLimit } from './login-hook.js';
import { createCallbackHandler, createLoginHandler } from './oidc.js';
import { createOktaEventsHandler, createOktaVerifyHandler } from './okta-hook.js';

export type { ServerDeps } from './deps.js';

/**
 * Builds the fastify instance (not listening yet: call `listen`, or `inject` in tests).
 * @example
 * const app = await createServer(deps);
 * await app.listen({ host: deps.settings.host, port: deps.settings.port });
 */
export async function createServer(deps: ServerDeps): Promise<FastifyInstance> {
  // Typed as fastify's logger interface, so the instance has fastify's default type.
  const logger: FastifyBaseLogger = deps.logger.child({ component: 'server' });
  const app = Fastify({
    loggerInstance: logger,
    // Handlers log what matters; a line per probe and scrape would drown it.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: loginHookBodyLimit,
    // Handlers read bodies themselves: the HMAC is computed over the exact bytes received.
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.get('/login', createLoginHandler(deps));
  app.get('/callback', createCallbackHandler(deps));
  app.post('/hooks/login', createLoginHookHandler(deps));
  app.get('/hooks/okta', createOktaVerifyHandler(deps));
  app.post('/hooks/okta', createOktaEventsHandler(deps));
  app.get('/healthz', createHealthHandler());
  app.get('/readyz', createReadyHandler(deps));
  app.get('/metrics', async (_request, reply) =>
    reply
      .header('content-type', deps.metrics.registry.contentType)
      .send(await deps.metrics.registry.metrics()),
  );
  await app.ready();
  return app;
}
