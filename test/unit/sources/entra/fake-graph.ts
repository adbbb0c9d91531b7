/**
 * A few lines of fake Graph for unit tests of one mapping at a time: a `fetch` that routes each
 * request to a function and records it. The simulator in src/sim/entra serves everything else.
 */
import type { FetchFn } from '../../../../src/http/fetch-json.js';
import type { Sleep } from '../../../../src/http/retry.js';

/** The origin the unit tests pretend Graph lives at. */
export const graphOrigin = 'https://graph.test';

/** One request as the fake saw it. */
export type SeenRequest = {
  readonly method: string;
  readonly url: URL;
  readonly headers: Headers;
  readonly body: string | undefined;
};

/** Answers one request; a thrown error is a network failure. */
export type Route = (request: SeenRequest) => Response | Promise<Response>;

/** A `fetch` backed by `route`, and every request it received. */
export function fakeFetch(route: Route): { fetch: FetchFn; requests: SeenRequest[] } {
  const requests: SeenRequest[] = [];
  return {
    requests,
    fetch: async (input, init) => {
      const request: SeenRequest = {
        method: init?.method ?? 'GET',
        url: new URL(String(input)),
        headers: new Headers(init?.headers),
        body: typeof init?.body === 'string' ? init.body : undefined,
      };
      requests.push(request);
      return route(request);
    },
  };
}

/** A JSON response. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** Graph's error body. */
export function graphError(
  status: number,
  code: string,
  headers: Record<string, string> = {},
): Response {
  return json(
    { error: { code, message: `${code} happened`, innerError: { 'request-id': 'req-1' } } },
    status,
    headers,
  );
}

/** An auth provider that always has a token. */
export const staticToken = { getAccessToken: () => Promise.resolve('test-token') };

/** A sleep that records the waits and returns at once. */
export function recordingSleep(): { sleep: Sleep; sleeps: number[] } {
  const sleeps: number[] = [];
  return {
    sleeps,
    sleep: ms => {
      sleeps.push(ms);
      return Promise.resolve();
    },
  };
}
