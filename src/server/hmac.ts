/**
 * HMAC-signed calls to `/hooks/login`. The header is
 * `X-IdP-Sync-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` keyed with
 * LOGIN_HOOK_SECRET (Stripe's scheme). A signature is accepted within five minutes of `t`, and
 * only once: the replay cache remembers it in Redis for longer than that window.
 * @see https://docs.stripe.com/webhooks#verify-manually
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

import type { Redis } from 'ioredis';

export const signatureHeader = 'x-idp-sync-signature';

/** How far `t` may be from now, either way, in seconds. */
export const signatureWindowSec = 300;

/** Why a signature was refused (logs and metrics only; the caller sees a bare 401). */
export type SignatureProblem = 'malformed' | 'stale' | 'mismatch';

/** The header value for `rawBody` signed at `t` (integrations and tests). */
export function signBody(secret: string, rawBody: Buffer | string, t: number): string {
  return `t=${t},v1=${hmacHex(secret, t, rawBody)}`;
}

/**
 * Checks the header against the raw body, in constant time.
 * @returns the signature's replay id (the expected MAC, so reordering the header cannot dodge the
 *   replay cache) when valid, else the problem
 */
export function checkSignature(
  header: string | undefined,
  rawBody: Buffer,
  secret: string,
  nowSec: number,
): { ok: true; replayId: string } | { ok: false; problem: SignatureProblem } {
  const parsed = parseHeader(header);
  if (parsed === undefined) {
    return { ok: false, problem: 'malformed' };
  }
  if (Math.abs(nowSec - parsed.t) > signatureWindowSec) {
    return { ok: false, problem: 'stale' };
  }
  const expectedHex = hmacHex(secret, parsed.t, rawBody);
  const expected = Buffer.from(expectedHex, 'hex');
  const anyMatch = parsed.v1
    .map(candidate => Buffer.from(candidate, 'hex'))
    .some(given => given.length === expected.length && timingSafeEqual(given, expected));
  return anyMatch ? { ok: true, replayId: expectedHex } : { ok: false, problem: 'mismatch' };
}

function parseHeader(header: string | undefined): { t: number; v1: string[] } | undefined {
  if (header === undefined || header.length > 1024) {
    return undefined;
  }
  let t: number | undefined;
  const v1: string[] = [];
  for (const part of header.split(',')) {
    const [key, value, extra] = part.trim().split('=');
    if (value === undefined || extra !== undefined) {
      return undefined;
    }
    if (key === 't' && /^\d{1,12}$/.test(value)) {
      t = Number(value);
    } else if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) {
      v1.push(value.toLowerCase());
    }
  }
  return t === undefined || v1.length === 0 ? undefined : { t, v1 };
}

function hmacHex(secret: string, t: number, rawBody: Buffer | string): string {
  return createHmac('sha256', secret).update(`${t}.`).update(rawBody).digest('hex');
}

/** Remembers accepted signatures. */
export type ReplayCache = {
  /**
   * Records a signature (its replay id) as used. Resolves true the first time, false for a replay.
   * @throws when Redis cannot be asked (the caller must refuse: it cannot tell a replay)
   */
  firstUse(replayId: string): Promise<boolean>;
};

/**
 * A replay cache in Redis: `SET <prefix>:hook-sig:<sha256> 1 NX EX 660`. Shared by every
 * replica, and it outlives the acceptance window.
 */
export function createReplayCache(redis: () => Promise<Redis>, prefix: string): ReplayCache {
  return {
    firstUse: async replayId => {
      const key = `${prefix}:hook-sig:${createHash('sha256').update(replayId).digest('hex')}`;
      const set = await (await redis()).set(key, '1', 'EX', 2 * signatureWindowSec + 60, 'NX');
      return set === 'OK';
    },
  };
}
