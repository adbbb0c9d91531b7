/**
 * How `idp-sync serve` runs, as loaded from the environment by `config/load.ts`
 * (`loadServerConfig`; each variable is documented in `.env.example`). Plain data: the server
 * modules receive it, they never read the environment.
 */

/** The OpenID Provider people sign in with (`/login`, `/callback`, bearer ID tokens). */
export type OidcSettings = {
  /** `OIDC_ISSUER`: exactly the issuer the provider publishes in its discovery document. */
  readonly issuer: string;
  /** `OIDC_CLIENT_ID`: also the audience a bearer ID token must carry. */
  readonly clientId: string;
  /** `OIDC_CLIENT_SECRET` (secret). */
  readonly clientSecret: string;
  /** `OIDC_REDIRECT_URI`: this server's `/callback`, as registered with the provider. */
  readonly redirectUri: string;
  /** `OIDC_SUBJECT_CLAIM`: the claim holding the IdP user id. @defaultValue `oid` for entra, else `sub` */
  readonly subjectClaim: string;
  /** `OIDC_SCOPES`. @defaultValue 'openid email profile' */
  readonly scopes: string;
};

export type ServerSettings = {
  /** `HOST`. @defaultValue '0.0.0.0' */
  readonly host: string;
  /** `PORT`. @defaultValue 8080 */
  readonly port: number;
  /** Undefined when `OIDC_ISSUER` is unset: `/login` is then off and only HMAC hooks work. */
  readonly oidc: OidcSettings | undefined;
  /** `SESSION_SECRET` (secret): signs the short-lived login cookie. */
  readonly sessionSecret: string | undefined;
  /** `POST_LOGIN_REDIRECT_URL`: where `/callback` sends the person (LiteLLM's SSO entry). */
  readonly postLoginRedirectUrl: string | undefined;
  /** `LOGIN_SOURCE`: the source a signed-in subject belongs to. @defaultValue the first of IDP_SOURCES */
  readonly loginSource: string;
  /** `LOGIN_SYNC_WAIT_MS`: how long `/callback` waits for the sync before redirecting. @defaultValue 3000 */
  readonly loginSyncWaitMs: number;
  /** `LOGIN_HOOK_SECRET` (secret): HMAC key of `/hooks/login`; undefined turns HMAC off. */
  readonly loginHookSecret: string | undefined;
  /** `OKTA_EVENT_HOOK_SECRET` (secret): the authorization header value; undefined turns `/hooks/okta` off. */
  readonly oktaEventHookSecret: string | undefined;
  /** `OKTA_EVENT_HOOK_SOURCE`: the source Okta events name users of. @defaultValue 'okta' */
  readonly oktaEventHookSource: string;
};
