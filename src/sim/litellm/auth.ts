/**
 * `user_api_key_auth` for admin routes: find the key in the request headers, accept the master
 * key, and refuse everything else with LiteLLM's 401 (shape A, `type: auth_error`).
 *
 * @see /work/shared/reference/litellm-api.md §1
 */
import type { IncomingHttpHeaders } from 'node:http';
import { timingSafeEqual } from 'node:crypto';

import type { SimDb } from './db.js';
import { ProxyException } from './errors.js';
import { hashToken } from './keygen.js';
import type { Caller } from './router.js';
import { getKey } from './store/key-store.js';
import { getUser } from './store/user-store.js';

/** `_get_bearer_token`: `Bearer `, `Basic ` or `bearer ` prefixes; anything else reads as empty. */
function bearerToken(value: string): string {
  for (const prefix of ['Bearer ', 'Basic ', 'bearer ']) {
    if (value.startsWith(prefix)) {
      return value.slice(prefix.length);
    }
  }
  return '';
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The key LiteLLM reads. Precedence (UNVERIFIED in the reference; this follows `get_api_key` as
 * recalled): `x-litellm-api-key` (optional `Bearer ` prefix), `Authorization`, then the
 * Azure / Anthropic / Google / APIM headers as sent.
 */
export function extractApiKey(headers: IncomingHttpHeaders): string {
  const custom = header(headers, 'x-litellm-api-key');
  if (custom !== undefined) {
    return custom.startsWith('Bearer ') ? custom.slice('Bearer '.length) : custom;
  }
  const authorization = header(headers, 'authorization');
  if (authorization !== undefined) {
    return bearerToken(authorization);
  }
  for (const name of ['api-key', 'x-api-key', 'x-goog-api-key', 'ocp-apim-subscription-key']) {
    const value = header(headers, name);
    if (value !== undefined) {
      return value;
    }
  }
  return '';
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function refuse(message: string): ProxyException {
  return new ProxyException(401, `Authentication Error, ${message}`, 'auth_error', 'None');
}

/**
 * Authenticates an admin call. The master key (or its hash) is the proxy admin `adminUserId`; a
 * virtual key passes only when its user has role `proxy_admin` (LiteLLM's finer per-route rules
 * for other roles are not simulated).
 * @throws ProxyException 401
 */
export function authenticate(
  db: SimDb,
  headers: IncomingHttpHeaders,
  masterKey: string,
  adminUserId: string | null,
  path: string,
): Caller {
  const apiKey = extractApiKey(headers);
  if (apiKey === '') {
    throw refuse('No api key passed in.');
  }
  if (same(apiKey, masterKey) || same(apiKey, hashToken(masterKey))) {
    return { apiKey, userId: adminUserId, role: 'proxy_admin' };
  }
  if (!apiKey.startsWith('sk-')) {
    throw refuse(`LiteLLM Virtual Key expected. Received=${apiKey}, expected to start with 'sk-'.`);
  }
  const token = hashToken(apiKey);
  const key = getKey(db, token);
  if (key === undefined) {
    // Wording UNVERIFIED: LiteLLM's message for an unknown virtual key, as recalled.
    throw refuse(
      `Invalid proxy server token passed. Received API Key = sk-...${apiKey.slice(-4)}, ` +
        `Key Hash (Token) =${token}. Unable to find token in cache or \`LiteLLM_VerificationTokenTable\``,
    );
  }
  if (key.blocked === true) {
    throw refuse("Key is blocked. Update via `/key/unblock` if you're admin.");
  }
  const owner = key.user_id === null ? undefined : getUser(db, key.user_id);
  const role = owner?.user_role ?? 'internal_user';
  if (role !== 'proxy_admin') {
    // Wording UNVERIFIED (reference §1: "exact admin-route denial message").
    throw refuse(
      `Only proxy admin can be used to generate, delete, update info for new keys/users/teams. ` +
        `Route=${path}. Your role=${role}. Your user_id=${key.user_id ?? 'None'}`,
    );
  }
  return { apiKey, userId: key.user_id, role };
}
