/**
 * Client-credentials access tokens for the admin client, fetched through the injected `fetch`.
 *
 * Why not `kc.auth()`: a client-credentials grant returns no refresh token, and once the access
 * token is within 5 s of `exp` every SDK call tries to refresh and throws "Cannot refresh token"
 * (verified, idp-apis.md §F). Keycloak's default access-token lifespan is 5 minutes, shorter than
 * a large realm's read. This provider (registered with `registerTokenProvider`) fetches a new
 * token whenever the current one is near expiry, and the source drops it at the start of every
 * run and after a 401, so each run re-authenticates.
 *
 * The request matches the admin client's own: secret in HTTP Basic, `client_id` in the form.
 */
import { z } from 'zod';

import { SyncError } from '../../errors.js';
import { fetchText, parseJsonBody, type FetchFn } from '../../http/fetch-json.js';

const tokenSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().int().nonnegative().optional(),
});

/** What the provider needs. */
export type TokenOptions = {
  readonly fetch: FetchFn;
  readonly url: string;
  readonly realm: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly timeoutMs: number;
  /** Epoch ms. */
  readonly now: () => number;
};

/** A cached client-credentials token. */
export type TokenProvider = {
  /** The current token, fetching one when there is none or it is near expiry (30 s, or a quarter of a short lifetime). */
  get(signal?: AbortSignal): Promise<string>;
  /** Forgets the token: the next `get` fetches a new one. */
  invalidate(): void;
  /** Token requests made so far. */
  readonly requests: number;
};

const marginMs = 30_000;

/** Creates the provider. */
export function createTokenProvider(options: TokenOptions): TokenProvider {
  let current: { token: string; refreshAtMs: number } | undefined;
  let pending: Promise<string> | undefined;
  let requests = 0;
  const endpoint = 'POST /realms/{realm}/protocol/openid-connect/token';

  const fetchToken = async (signal?: AbortSignal): Promise<string> => {
    requests += 1;
    const basic = Buffer.from(
      `${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`,
    ).toString('base64');
    const answer = await fetchText(options.fetch, {
      url: `${options.url}/realms/${encodeURIComponent(options.realm)}/protocol/openid-connect/token`,
      method: 'POST',
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: options.clientId,
      }).toString(),
      timeoutMs: options.timeoutMs,
      signal,
      endpoint,
      unavailableCode: 'SOURCE_UNAVAILABLE',
    });
    if (answer.status >= 500) {
      throw new SyncError('SOURCE_UNAVAILABLE', `${endpoint} answered ${answer.status}`, {
        status: answer.status,
        endpoint,
      });
    }
    if (answer.status !== 200) {
      throw new SyncError(
        'SOURCE_UNAUTHORIZED',
        `Keycloak refused the client-credentials token (${answer.status} ${oauthReason(answer.text)}); check KEYCLOAK_URL, KEYCLOAK_REALM, KEYCLOAK_CLIENT_ID and KEYCLOAK_CLIENT_SECRET, and that the client has service accounts enabled`,
        { status: answer.status, endpoint },
      );
    }
    const body = parseJsonBody(answer.text, tokenSchema, {
      endpoint,
      code: 'SOURCE_INVALID_RESPONSE',
    });
    const lifetimeMs = (body.expires_in ?? 60) * 1000;
    current = {
      token: body.access_token,
      refreshAtMs: options.now() + lifetimeMs - Math.min(marginMs, lifetimeMs / 4),
    };
    return body.access_token;
  };

  return {
    async get(signal) {
      if (current !== undefined && current.refreshAtMs > options.now()) {
        return current.token;
      }
      // Parallel first calls share one token request.
      pending ??= fetchToken(signal).finally(() => {
        pending = undefined;
      });
      return pending;
    },
    invalidate() {
      current = undefined;
    },
    get requests() {
      return requests;
    },
  };
}

function oauthReason(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: unknown; error_description?: unknown };
    if (typeof body.error === 'string') {
      return typeof body.error_description === 'string'
        ? `${body.error}: ${body.error_description}`
        : body.error;
    }
  } catch {
    // Not JSON.
  }
  return '';
}
