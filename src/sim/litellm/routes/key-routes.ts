/**
 * `/key/generate`, `/key/delete`, `/key/block`, `/key/unblock`, `/key/info`
 * (key_management_endpoints.py @eb8b9912).
 *
 * @see /work/shared/reference/litellm-api.md §6.2, §6.3
 */
import { HttpException, NOT_PREMIUM_MESSAGE, ProxyException } from '../errors.js';
import {
  expiresFor,
  hashToken,
  isValidApiKey,
  keyName,
  newPlaintextKey,
  tokenFor,
} from '../keygen.js';
import { ok, type Route } from '../router.js';
import {
  blockKeySchema,
  generateKeySchema,
  keyRequestSchema,
} from '../schemas/user-key-schemas.js';
import {
  deleteKeysByTokens,
  getKey,
  insertKey,
  keyByAlias,
  keysByTokensOrAliases,
  setKeyBlocked,
} from '../store/key-store.js';
import { keyInfoJson, keyJson } from '../store/rows-json.js';
import { parseBody } from '../validation/body.js';
import { createQueryReader } from '../validation/query.js';

function checkNotNegative(name: string, value: number | null | undefined): void {
  if (value !== null && value !== undefined && value < 0) {
    throw new HttpException(400, { error: `${name} cannot be negative. Received: ${value}` });
  }
}

const generateKey: Route = {
  method: 'POST',
  path: '/key/generate',
  errorStyle: 'proxy',
  handle({ db, body, caller, settings }) {
    const data = parseBody(generateKeySchema, body);
    checkNotNegative('max_budget', data.max_budget);
    checkNotNegative('soft_budget', data.soft_budget);
    let metadata = data.metadata ?? {};
    for (const field of ['tags', 'guardrails'] as const) {
      if (data[field] !== null && data[field] !== undefined) {
        if (!settings.premium) {
          const error = `This feature is only available for LiteLLM Enterprise users: ${field}. ${NOT_PREMIUM_MESSAGE}`;
          throw new HttpException(403, { error });
        }
        metadata = { ...metadata, [field]: data[field] };
      }
    }
    if (data.key_alias !== null && data.key_alias !== undefined && keyByAlias(db, data.key_alias)) {
      const message = `Key with alias '${data.key_alias}' already exists. Unique key aliases across all keys are required.`;
      throw new ProxyException(400, message, 'bad_request_error', 'key_alias');
    }
    if (data.key !== null && data.key !== undefined && !data.key.startsWith('sk-')) {
      const masked =
        data.key.length > 8 ? `${data.key.slice(0, 4)}****${data.key.slice(-4)}` : '****';
      const error = `Invalid key format. LiteLLM Virtual Key must start with 'sk-'. Received: ${masked}`;
      throw new HttpException(400, { error });
    }
    if (data.organization_id) {
      throw new HttpException(
        400,
        `Organization not found for organization_id=${data.organization_id}`,
      );
    }
    const expires = expiresFor(data.duration);
    const plaintext = data.key ?? newPlaintextKey();
    const token = hashToken(plaintext);
    if (getKey(db, token) !== undefined) {
      // Prisma's unique violation, as generate_key_helper_fn reports it.
      throw new HttpException(500, { error: 'Internal Server Error.' });
    }
    // `user_id` is stored as given: /key/generate does not create or check users.
    const key = insertKey(db, token, {
      key_name: keyName(plaintext),
      key_alias: data.key_alias ?? null,
      user_id: data.user_id ?? null,
      team_id: data.team_id ?? null,
      blocked: data.blocked ?? null,
      metadata,
      models: data.models ?? [],
      max_budget: data.max_budget ?? null,
      tpm_limit: data.tpm_limit ?? null,
      rpm_limit: data.rpm_limit ?? null,
      budget_duration: data.budget_duration ?? null,
      expires,
      spend: data.spend ?? 0,
      created_by: caller.userId,
    });
    return ok({
      ...keyInfoJson(key),
      key: plaintext,
      duration: data.duration ?? null,
      soft_budget: data.soft_budget ?? null,
      budget_id: null,
      token_id: token,
      // LiteLLM remaps `token` to the hash; the plaintext is only in `key`.
      token,
    });
  },
};

const deleteKey: Route = {
  method: 'POST',
  path: '/key/delete',
  errorStyle: 'proxy',
  handle({ db, body }) {
    const data = parseBody(keyRequestSchema, body);
    const byKeys = data.keys !== null && data.keys !== undefined && data.keys.length > 0;
    const found = byKeys
      ? keysByTokensOrAliases(db, 'token', (data.keys ?? []).map(tokenFor))
      : keysByTokensOrAliases(db, 'key_alias', data.key_aliases ?? []);
    if (found.length === 0) {
      throw new HttpException(404, { error: 'No keys found' });
    }
    deleteKeysByTokens(
      db,
      found.map(k => k.token),
    );
    // The input is echoed as sent, not the rows actually deleted.
    return ok({ deleted_keys: byKeys ? data.keys : data.key_aliases });
  },
};

function blockRoute(path: '/key/block' | '/key/unblock', blocked: boolean): Route {
  return {
    method: 'POST',
    path,
    errorStyle: 'raw',
    handle({ db, body }) {
      const data = parseBody(blockKeySchema, body);
      if (!isValidApiKey(data.key)) {
        throw new ProxyException(400, 'Invalid key format.', 'bad_request_error', 'key');
      }
      const token = tokenFor(data.key);
      const key = setKeyBlocked(db, token, blocked);
      if (key === undefined) {
        // The update finds nothing and the cache refresh (`get_key_object`) then fails; wording
        // recalled from auth_checks.py, UNVERIFIED.
        const message = `Authentication Error, Invalid proxy server token passed. key=${token}, not found in db. Create key via \`/key/generate\` call.`;
        throw new ProxyException(401, message, 'token_not_found_in_db', 'key');
      }
      return ok(keyJson(key));
    },
  };
}

const keyInfo: Route = {
  method: 'GET',
  path: '/key/info',
  errorStyle: 'proxy',
  handle({ db, query, caller }) {
    const q = createQueryReader(query);
    // Without `key`, LiteLLM looks up the caller's own key.
    const key = q.str('key') || caller.apiKey;
    q.finish();
    const row = getKey(db, tokenFor(key));
    if (row === undefined) {
      throw new ProxyException(404, 'Key not found in database', 'not_found_error', 'key');
    }
    return ok({ key, info: keyInfoJson(row) });
  },
};

/** Key write and lookup routes. */
export const keyRoutes: readonly Route[] = [
  generateKey,
  deleteKey,
  blockRoute('/key/block', true),
  blockRoute('/key/unblock', false),
  keyInfo,
];
