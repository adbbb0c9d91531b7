/**
 * Access tokens for Graph: JWT-shaped v1.0 app tokens (`aud` https://graph.microsoft.com,
 * `iss` https://sts.windows.net/{tid}/, `roles`, `appid`, `idtyp: app`) signed with the
 * simulator's key, and Graph's check of them (401 `InvalidAuthenticationToken` when missing,
 * malformed, foreign or expired against the simulator clock).
 *
 * Messages: "Access token is empty." and "Access token has expired or is not yet valid." are
 * Graph's as seen in published error bodies; the "validation failure" wording for foreign tokens
 * is UNVERIFIED (no authoritative sample found).
 */
import { createHash, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';

import { GraphHttpError } from '../graph/errors.js';
import type { RegisteredApp } from './apps.js';
import { decodeJwt, signJwt, verifyJwt } from './jwt.js';

/** Graph's resource identifiers: the URI and the well-known app id. */
export const GRAPH_AUDIENCES = [
  'https://graph.microsoft.com',
  '00000003-0000-0000-c000-000000000000',
];

/** The caller a valid token identifies. */
export type TokenCaller = { appId: string; roles: readonly string[] };

/** Issues and checks tokens for one tenant. */
export type TokenIssuer = {
  issue(
    app: RegisteredApp,
    credential: 'secret' | 'certificate',
  ): { accessToken: string; expiresIn: number };
  /** Checks an `Authorization` header value. @throws GraphHttpError 401 */
  verify(authorization: string | undefined): TokenCaller;
  /** The JSON Web Key Set published at `jwks_uri`. */
  jwks(): { keys: unknown[] };
};

/** A stable GUID derived from text (the app's service principal object id). */
export function guidFrom(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const WWW_AUTHENTICATE =
  'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"';

function unauthorized(message: string): GraphHttpError {
  return new GraphHttpError(401, 'InvalidAuthenticationToken', message, {
    'www-authenticate': WWW_AUTHENTICATE,
  });
}

/** Creates an issuer with a fresh RSA signing key. */
export function createTokenIssuer(deps: {
  tenantId: string;
  now: () => number;
  lifetimeSeconds: number;
}): TokenIssuer {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomBytes(20).toString('base64url');
  const issuer = `https://sts.windows.net/${deps.tenantId}/`;
  return {
    issue: (app, credential) => {
      const iat = Math.floor(deps.now() / 1000);
      const oid = guidFrom(`${deps.tenantId}:${app.clientId}`);
      const payload = {
        aud: GRAPH_AUDIENCES[0],
        iss: issuer,
        iat,
        nbf: iat,
        exp: iat + deps.lifetimeSeconds,
        aio: randomBytes(24).toString('base64'),
        app_displayname: app.displayName,
        appid: app.clientId,
        appidacr: credential === 'secret' ? '1' : '2',
        idp: issuer,
        idtyp: 'app',
        oid,
        rh: '0.AAAA.',
        roles: [...app.roles],
        sub: oid,
        tenant_region_scope: 'NA',
        tid: deps.tenantId,
        uti: randomUUID().replaceAll('-', '').slice(0, 22),
        ver: '1.0',
        xms_tcdt: iat - 86_400,
      };
      const token = signJwt({ typ: 'JWT', x5t: kid, kid }, payload, privateKey);
      return { accessToken: token, expiresIn: deps.lifetimeSeconds };
    },
    verify: authorization => {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
      if (!match?.[1]) {
        throw unauthorized('Access token is empty.');
      }
      const jwt = decodeJwt(match[1]);
      if (!jwt) {
        throw unauthorized('CompactToken parsing failed with error code: 80049217');
      }
      if (
        jwt.header['kid'] !== kid ||
        jwt.header['alg'] !== 'RS256' ||
        !verifyJwt(jwt, 'RS256', publicKey)
      ) {
        throw unauthorized('Access token validation failure.');
      }
      const claims = jwt.payload;
      if (!GRAPH_AUDIENCES.includes(String(claims['aud']))) {
        throw unauthorized('Access token validation failure. Invalid audience.');
      }
      if (claims['tid'] !== deps.tenantId || claims['iss'] !== issuer) {
        throw unauthorized('Access token validation failure. Invalid issuer.');
      }
      const now = deps.now() / 1000;
      if (Number(claims['exp']) <= now || Number(claims['nbf']) > now + 300) {
        throw unauthorized('Access token has expired or is not yet valid.');
      }
      const roles = Array.isArray(claims['roles']) ? claims['roles'].map(String) : [];
      return { appId: String(claims['appid']), roles };
    },
    jwks: () => ({
      keys: [
        { ...publicKey.export({ format: 'jwk' }), kid, x5t: kid, use: 'sig', issuer: `${issuer}` },
      ],
    }),
  };
}
