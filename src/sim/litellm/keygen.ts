/**
 * Virtual key material: plaintext `sk-…` keys, their stored sha256 hash, the abbreviated
 * `key_name`, and LiteLLM's duration strings (`30d`, `1h`).
 */
import { createHash, randomBytes } from 'node:crypto';

/** `"sk-" + secrets.token_urlsafe(16)`, as `generate_key_helper_fn` makes them. */
export function newPlaintextKey(): string {
  return `sk-${randomBytes(16).toString('base64url')}`;
}

/** LiteLLM's `hash_token`: sha256 hex of the plaintext. */
export function hashToken(plaintext: string): string {
  return createHash('sha256').update(plaintext).digest('hex');
}

/** `_hash_token_if_needed`: `sk-` keys are hashed, anything else is taken as a hash already. */
export function tokenFor(keyOrHash: string): string {
  return keyOrHash.startsWith('sk-') ? hashToken(keyOrHash) : keyOrHash;
}

/** `abbreviate_api_key`: `sk-...` plus the last four characters. */
export function keyName(plaintext: string): string {
  return `sk-...${plaintext.slice(-4)}`;
}

/**
 * `is_valid_api_key` used by `/key/block` (read from memory, UNVERIFIED): an `sk-` key of URL-safe
 * characters or a 64-character hex hash, 3 to 128 characters long.
 */
export function isValidApiKey(key: string): boolean {
  if (key.length < 3 || key.length > 128) {
    return false;
  }
  return /^sk-[A-Za-z0-9_-]+$/.test(key) || /^[a-fA-F0-9]{64}$/.test(key);
}

const UNIT_SECONDS: Record<string, number> = {
  s: 1,
  m: 60,
  h: 3600,
  d: 86_400,
  w: 604_800,
  // LiteLLM adds calendar months; 30 days is close enough for expiry tests.
  mo: 2_592_000,
};

/**
 * `duration_in_seconds`: `<digits><unit>` with unit s, m, h, d, w or mo.
 * @throws Error with LiteLLM's message for anything else.
 */
export function durationSeconds(duration: string): number {
  const match = /^(\d+)(mo|[smhdw])$/.exec(duration);
  const seconds = match?.[2] === undefined ? undefined : UNIT_SECONDS[match[2]];
  if (match === null || seconds === undefined) {
    throw new Error(`Unsupported duration unit, passed duration: ${duration}`);
  }
  return Number(match[1]) * seconds;
}

/** `expires` for a `duration` string, as an ISO timestamp (`null` when there is none). */
export function expiresFor(duration: string | null | undefined): string | null {
  if (!duration) {
    return null;
  }
  return new Date(Date.now() + durationSeconds(duration) * 1000).toISOString();
}
