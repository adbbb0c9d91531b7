/**
 * `idp-sync serve`: the login hook server (OIDC sign-in, `/hooks/login`, `/hooks/okta`,
 * health and metrics) until SIGTERM/SIGINT. It only enqueues; `idp-sync worker` does the syncs.
 */
import { createServer } from '../../server/app.js';
import { composeServerDeps } from '../../server/compose.js';
import type { ServerSettings } from '../../server/settings.js';
import type { AppContext } from '../context.js';
import type { Output } from '../output.js';

export type ServeCommandOptions = {
  /** Resolves (with its name) when the server should stop. @defaultValue the first SIGTERM or SIGINT */
  readonly stop?: Promise<string>;
  /** Called with the address once listening (tests). */
  readonly onListening?: (url: string) => void;
};

/** @returns 0 after a clean stop */
export async function runServe(
  app: AppContext,
  settings: ServerSettings,
  out: Output,
  options: ServeCommandOptions = {},
): Promise<number> {
  const composed = composeServerDeps({
    settings,
    jobs: app.config.jobs,
    sources: app.config.sources.map(s => s.name),
    logger: app.logger,
    store: app.store,
    target: app.target,
  });
  let server;
  try {
    server = await createServer(composed.deps);
    const address = await server.listen({ host: settings.host, port: settings.port });
    const routes = [
      settings.oidc === undefined ? undefined : '/login → /callback',
      settings.loginHookSecret === undefined && settings.oidc === undefined
        ? undefined
        : 'POST /hooks/login',
      settings.oktaEventHookSecret === undefined ? undefined : '/hooks/okta',
    ].filter(r => r !== undefined);
    out.line(
      `idp-sync serve: listening on ${address} (${routes.join(', ')}; /healthz, /readyz, /metrics)`,
    );
    options.onListening?.(address);
    const stop = options.stop ?? firstSignal();
    const why = await stop;
    out.line(`idp-sync serve: ${why}; closing`);
    return 0;
  } finally {
    await server?.close();
    await composed.close();
  }
}

function firstSignal(): Promise<string> {
  return new Promise(resolve => {
    const onSignal = (name: NodeJS.Signals): void => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      resolve(name);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
