/**
 * Starting and stopping a simulator's HTTP(S) server.
 */
import type { Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/** Either kind of server the simulators run. */
export type SimServer = HttpServer | HttpsServer;

/** Where a server listens, ready to build its URL. */
export type Bound = {
  readonly port: number;
  /** The host for a URL: an IPv6 address is bracketed. */
  readonly urlHost: string;
};

/**
 * Listens on `host:port` (port 0 picks a free one) and resolves once the server accepts
 * connections; a listen error such as `EADDRINUSE` rejects.
 */
export async function listen(
  server: SimServer,
  options: { port?: number | undefined; host?: string | undefined },
): Promise<Bound> {
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return { port, urlHost: host.includes(':') ? `[${host}]` : host };
}

/**
 * Stops the server. Open connections are cut first: clients keep sockets alive, and
 * `server.close()` alone would wait for them.
 */
export async function closeServer(server: SimServer): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>(resolve => server.close(() => resolve()));
}
