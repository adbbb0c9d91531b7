/**
 * The OIDC relying party: `GET /login` starts an authorization-code flow with PKCE (S256), state
 * and nonce kept in the signed login cookie; `GET /callback` redeems the code (openid-client
 * validates the ID token: signature, iss, aud, exp, nonce), takes the subject claim, enqueues a
 * `sync-user` job, waits up to LOGIN_SYNC_WAIT_MS for it, and redirects to
 * POST_LOGIN_REDIRECT_URL. A groups claim is never read: the worker re-reads the IdP.
 *
 * Sign-in is never blocked: whatever fails here (provider, Redis, a stale cookie) is logged and
 * counted, and the person is redirected all the same.
 * @see https://github.com/panva/openid-client/blob/main/examples/oidc.ts
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import * as client from 'openid-client';

import { errorMessage } from '../errors.js';
import { loginCookieName, openCookie, readCookie, sealCookie, setCookieHeader } from './cookies.js';
import type { ServerDeps } from './deps.js';
import type { Issuer } from './issuer.js';

/** How long a started sign-in may take to come back. */
const loginCookieMaxAgeSec = 600;

type Handler = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>;

/** A configured relying party; undefined members mean OIDC is off. */
type Rp = { issuer: Issuer; secret: string; redirectTo: string };

function relyingParty(deps: ServerDeps): Rp | undefined {
  const { issuer } = deps;
  const { sessionSecret, postLoginRedirectUrl } = deps.settings;
  return issuer === undefined || sessionSecret === undefined || postLoginRedirectUrl === undefined
    ? undefined
    : { issuer, secret: sessionSecret, redirectTo: postLoginRedirectUrl };
}

/** `GET /login`. */
export function createLoginHandler(deps: ServerDeps): Handler {
  const rp = relyingParty(deps);
  return async (_request, reply) => {
    if (rp === undefined) {
      return reply.code(404).send({ error: 'OIDC sign-in is not configured (OIDC_ISSUER)' });
    }
    let config: client.Configuration;
    try {
      config = await rp.issuer.configuration();
    } catch (error) {
      deps.metrics.logins.inc({ route: 'login', outcome: 'idp_error' });
      deps.logger.error(
        { err: errorMessage(error) },
        'login: the OpenID Provider is unreachable; sending the person on without a sync',
      );
      return reply.redirect(rp.redirectTo, 302);
    }
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: rp.issuer.settings.redirectUri,
      scope: rp.issuer.settings.scopes,
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    const sealed = sealCookie(
      { state, nonce, codeVerifier, expiresAt: deps.now() + loginCookieMaxAgeSec * 1000 },
      rp.secret,
    );
    deps.metrics.logins.inc({ route: 'login', outcome: 'started' });
    return reply
      .header('set-cookie', cookie(rp, sealed, loginCookieMaxAgeSec))
      .header('cache-control', 'no-store')
      .redirect(url.href, 302);
  };
}

/** `GET /callback`. */
export function createCallbackHandler(deps: ServerDeps): Handler {
  const rp = relyingParty(deps);
  const { loginSource, loginSyncWaitMs } = deps.settings;
  return async (request, reply) => {
    if (rp === undefined) {
      return reply.code(404).send({ error: 'OIDC sign-in is not configured (OIDC_ISSUER)' });
    }
    const done = (outcome: string): FastifyReply => {
      deps.metrics.logins.inc({ route: 'callback', outcome });
      return reply
        .header('set-cookie', cookie(rp, '', 0))
        .header('cache-control', 'no-store')
        .redirect(rp.redirectTo, 302);
    };
    const log = deps.logger.child({ route: 'callback' });
    const saved = openCookie(
      readCookie(request.headers.cookie, loginCookieName),
      rp.secret,
      deps.now(),
    );
    if (saved === undefined) {
      log.warn(
        'callback without a valid login cookie (expired, tampered or another browser); no sync',
      );
      return done('no_session');
    }
    let subject: string;
    try {
      const config = await rp.issuer.configuration();
      const current = new URL(rp.issuer.settings.redirectUri);
      current.search = new URL(request.url, 'http://callback.invalid').search;
      const tokens = await client.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: saved.codeVerifier,
        expectedState: saved.state,
        expectedNonce: saved.nonce,
        idTokenExpected: true,
      });
      const value = tokens.claims()?.[rp.issuer.settings.subjectClaim];
      if (typeof value !== 'string' || value === '') {
        log.error(
          { claim: rp.issuer.settings.subjectClaim },
          'the ID token has no subject claim; no sync (check OIDC_SUBJECT_CLAIM)',
        );
        return done('no_subject');
      }
      subject = value;
    } catch (error) {
      log.error(
        { err: errorMessage(error) },
        'sign-in could not be completed with the OpenID Provider; no sync',
      );
      return done('idp_error');
    }
    const request_ = { source: loginSource, subject };
    let enqueued;
    try {
      enqueued = await deps.loginQueue.enqueue(request_, { debounceMs: 0 });
      deps.metrics.enqueued.inc({ outcome: 'ok' });
    } catch (error) {
      deps.metrics.enqueued.inc({ outcome: 'error' });
      deps.loginQueue.retryLater(request_, { debounceMs: 0 });
      log.error(
        { err: errorMessage(error), source: loginSource },
        'login sync could not be queued (Redis); retrying in the background',
      );
      return done('queue_unavailable');
    }
    const followed = await deps.loginQueue.wait(enqueued, loginSyncWaitMs);
    log.info(
      { jobId: enqueued.jobId, source: loginSource, state: followed?.state ?? 'pending' },
      'signed in',
    );
    return done(followed === undefined ? 'redirected_pending' : `redirected_${followed.state}`);
  };
}

function cookie(rp: Rp, value: string, maxAgeSec: number): string {
  return setCookieHeader(loginCookieName, value, {
    maxAgeSec,
    secure: new URL(rp.issuer.settings.redirectUri).protocol === 'https:',
    path: '/',
  });
}
