/**
 * Test helpers: a simulator per test and a tiny `fetch` client for its admin API.
 */
import { createLiteLLMSimulator } from '../../../src/sim/litellm/server.js';
import type { LiteLLMSimulator, LiteLLMSimulatorOptions } from '../../../src/sim/litellm/types.js';

export const MASTER_KEY = 'sk-test-master-key';

/** A decoded HTTP answer. */
export type Reply = {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- arbitrary JSON the assertions inspect
  body: any;
  headers: Headers;
};

/** `list.map(item => item[key])` for a JSON array. */
export function pluck(list: unknown, key: string): unknown[] {
  if (!Array.isArray(list)) {
    throw new Error(`not an array: ${JSON.stringify(list)}`);
  }
  return (list as Record<string, unknown>[]).map(item => item[key]);
}

/** A JSON string value. */
export function text(value: unknown): string {
  if (typeof value !== 'string') {
    throw new Error(`not a string: ${JSON.stringify(value)}`);
  }
  return value;
}

/** Calls one simulator as a given key. */
export type SimClient = {
  get(path: string, headers?: Record<string, string>): Promise<Reply>;
  post(path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
  /** Sends a raw string body. */
  postRaw(path: string, text: string, headers?: Record<string, string>): Promise<Reply>;
};

async function decode(response: Response): Promise<Reply> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // plain-text bodies stay strings
  }
  return { status: response.status, body, headers: response.headers };
}

/** A client that authenticates with `key` (`null`: no credentials at all). */
export function clientFor(url: string, key: string | null = MASTER_KEY): SimClient {
  const auth: Record<string, string> = key === null ? {} : { authorization: `Bearer ${key}` };
  const send = async (
    method: string,
    path: string,
    body?: string,
    extra: Record<string, string> = {},
  ) =>
    decode(
      await fetch(`${url}${path}`, {
        method,
        headers: { ...auth, 'content-type': 'application/json', ...extra },
        body,
      }),
    );
  return {
    get: (path, headers) => send('GET', path, undefined, headers),
    post: (path, body, headers) =>
      send('POST', path, body === undefined ? undefined : JSON.stringify(body), headers),
    postRaw: (path, text, headers) => send('POST', path, text, headers),
  };
}

/** Starts a simulator with the test master key; close it in `afterEach`. */
export async function startSim(
  options: LiteLLMSimulatorOptions = {},
): Promise<{ sim: LiteLLMSimulator; api: SimClient }> {
  const sim = await createLiteLLMSimulator({ masterKey: MASTER_KEY, ...options });
  return { sim, api: clientFor(sim.url) };
}
