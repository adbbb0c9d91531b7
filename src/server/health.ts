/**
 * `/healthz`: the process answers (liveness; never touches a dependency, so a Redis outage does
 * not get the pod restarted). `/readyz`: every readiness check passes within 2 s (Redis, the
 * store, LiteLLM), else 503 naming what failed.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

import { errorMessage } from '../errors.js';
import type { ServerDeps } from './deps.js';

const checkTimeoutMs = 2000;

export function createHealthHandler() {
  return async (_request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> =>
    reply.send({ status: 'ok' });
}

export function createReadyHandler(deps: ServerDeps) {
  return async (_request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const entries = await Promise.all(
      Object.entries(deps.readiness).map(async ([name, check]) => {
        const signal = AbortSignal.timeout(checkTimeoutMs);
        try {
          await Promise.race([
            check(signal),
            new Promise((_, reject) =>
              signal.addEventListener('abort', () =>
                reject(new Error(`no answer within ${checkTimeoutMs} ms`)),
              ),
            ),
          ]);
          return [name, 'ok'] as const;
        } catch (error) {
          return [name, `failed: ${errorMessage(error)}`] as const;
        }
      }),
    );
    const ready = entries.every(([, result]) => result === 'ok');
    return reply
      .code(ready ? 200 : 503)
      .send({ status: ready ? 'ready' : 'not ready', checks: Object.fromEntries(entries) });
  };
}
