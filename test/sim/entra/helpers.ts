/**
 * Shared helpers for the Entra simulator tests: every call goes over real HTTPS with Node's
 * global fetch, which trusts the test CA only through NODE_EXTRA_CA_CERTS (set by
 * scripts/with-test-ca.js before vitest starts).
 */
import { createEntraSimulator } from '../../../src/sim/entra/server.js';
import type { EntraSimulator, EntraSimulatorOptions } from '../../../src/sim/entra/types.js';

/** Starts a simulator and fails loudly when the test process does not trust its CA. */
export async function startSim(opts: EntraSimulatorOptions = {}): Promise<EntraSimulator> {
  const sim = await createEntraSimulator(opts);
  if (process.env['NODE_EXTRA_CA_CERTS'] !== sim.caPath) {
    await sim.close();
    throw new Error(
      `NODE_EXTRA_CA_CERTS must be ${sim.caPath} (got ${String(process.env['NODE_EXTRA_CA_CERTS'])}); ` +
        'run the tests through `node scripts/with-test-ca.js vitest run`.',
    );
  }
  return sim;
}

/** A client-credentials token for the simulator's default app. */
export async function token(sim: EntraSimulator): Promise<string> {
  const response = await fetch(`${sim.authority}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: sim.clientId,
      client_secret: sim.clientSecret,
      scope: 'https://graph.microsoft.com/.default',
    }),
  });
  const body = (await response.json()) as { access_token?: string };
  if (!body.access_token) {
    throw new Error(`no token: ${JSON.stringify(body)}`);
  }
  return body.access_token;
}

/** Arbitrary JSON the assertions inspect. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test assertions walk untyped JSON
export type Json = any;

/** A JSON object whose fields the assertions read. */
export type JsonObject = Record<string, Json>;

/** `value` as an array of objects (throws when it is not an array). */
export function list(value: unknown): JsonObject[] {
  if (!Array.isArray(value)) {
    throw new Error(`not an array: ${JSON.stringify(value)}`);
  }
  return value as JsonObject[];
}

/** `value` as a string (throws otherwise). */
export function str(value: unknown): string {
  if (typeof value !== 'string') {
    throw new Error(`not a string: ${JSON.stringify(value)}`);
  }
  return value;
}

/** Every `value` entry of a list of pages. */
export function values(pages: readonly JsonObject[]): JsonObject[] {
  return pages.flatMap(page => list(page['value']));
}

/** The `id` of each object. */
export function idsOf(items: readonly JsonObject[]): string[] {
  return items.map(item => str(item['id']));
}

/** A JSON answer. */
export type Answer = { status: number; headers: Headers; body: Json };

/** GET (or `init`) `pathOrUrl` on the simulator with `bearer`. */
export async function graph(
  sim: EntraSimulator,
  bearer: string | undefined,
  pathOrUrl: string,
  init: RequestInit = {},
): Promise<Answer> {
  const url = pathOrUrl.startsWith('https://') ? pathOrUrl : `${sim.url}${pathOrUrl}`;
  const headers = new Headers(init.headers);
  if (bearer !== undefined) {
    headers.set('authorization', `Bearer ${bearer}`);
  }
  const response = await fetch(url, { ...init, headers });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? JSON.parse(text) : null,
  };
}

/** Follows `@odata.nextLink` from `path`, returning every page. */
export async function allPages(
  sim: EntraSimulator,
  bearer: string,
  path: string,
): Promise<JsonObject[]> {
  const pages: JsonObject[] = [];
  let next: string | undefined = path;
  while (next) {
    const page = await graph(sim, bearer, next);
    if (page.status !== 200) {
      throw new Error(`page ${next}: ${page.status} ${JSON.stringify(page.body)}`);
    }
    const body = page.body as JsonObject;
    pages.push(body);
    next = body['@odata.nextLink'] as string | undefined;
  }
  return pages;
}

/** Runs a full delta round from `start` (a path or a deltaLink) and returns pages + deltaLink. */
export async function deltaRound(
  sim: EntraSimulator,
  bearer: string,
  start: string,
): Promise<{ pages: JsonObject[]; deltaLink: string }> {
  const pages = await allPages(sim, bearer, start);
  const deltaLink = pages.at(-1)?.['@odata.deltaLink'] as string | undefined;
  if (!deltaLink) {
    throw new Error('round ended without a deltaLink');
  }
  return { pages, deltaLink };
}
