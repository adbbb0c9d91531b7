/**
 * The login cookie: the PKCE verifier, state and nonce of one sign-in, carried from `/login` to
 * `/callback` in a signed (HMAC-SHA256 with SESSION_SECRET), HttpOnly, SameSite=Lax cookie.
 * Lax, because the provider's redirect back to `/callback` is a top-level GET from another site.
 * Nothing is kept on the server, so any replica can finish a sign-in another one started.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** What `/login` hands to `/callback`. */
export type LoginCookie = {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
  /** Expiry, ms since the epoch. */
  readonly expiresAt: number;
};

export const loginCookieName = 'idp_sync_login';

/** `<base64url JSON>.<base64url HMAC>` of `value`. */
export function sealCookie(value: LoginCookie, secret: string): string {
  const body = Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${body}.${mac(body, secret)}`;
}

/**
 * The cookie's value if its signature is right and it has not expired; undefined otherwise.
 */
export function openCookie(
  sealed: string | undefined,
  secret: string,
  now: number,
): LoginCookie | undefined {
  if (sealed === undefined) {
    return undefined;
  }
  const [body, signature, extra] = sealed.split('.');
  if (body === undefined || signature === undefined || extra !== undefined) {
    return undefined;
  }
  const expected = Buffer.from(mac(body, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return undefined;
  }
  try {
    const value = JSON.parse(Buffer.from(body, 'base64url').toString()) as Partial<LoginCookie>;
    const complete =
      typeof value.state === 'string' &&
      typeof value.nonce === 'string' &&
      typeof value.codeVerifier === 'string' &&
      typeof value.expiresAt === 'number';
    return complete && value.expiresAt > now ? (value as LoginCookie) : undefined;
  } catch {
    return undefined;
  }
}

/** A `Set-Cookie` header value; `secure` when the server is reached over https. */
export function setCookieHeader(
  name: string,
  value: string,
  options: { maxAgeSec: number; secure: boolean; path: string },
): string {
  return [
    `${name}=${value}`,
    `Path=${options.path}`,
    `Max-Age=${options.maxAgeSec}`,
    'HttpOnly',
    'SameSite=Lax',
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}

/** One cookie's value from a `Cookie` request header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) {
      return part.slice(at + 1).trim();
    }
  }
  return undefined;
}

function mac(body: string, secret: string): string {
  return createHmac('sha256', secret).update(`login-cookie.${body}`).digest('base64url');
}
