/**
 * The OpenID Provider, discovered once and kept: openid-client's `Configuration` for the code
 * flow, and the issuer and JWKS URI the bearer-token check needs. Discovery happens on first
 * use, not at start-up, so the server starts (and `/healthz` answers) while the IdP is down; a
 * failed discovery is forgotten and tried again on the next request.
 * @see https://github.com/panva/openid-client/blob/main/docs/functions/discovery.md
 */
import * as client from 'openid-client';

import type { OidcSettings } from './settings.js';

/** A lazily discovered provider. */
export type Issuer = {
  readonly settings: OidcSettings;
  /** The client configuration; rejects when discovery fails (tried again next time). */
  configuration(): Promise<client.Configuration>;
};

/** Dependencies of {@link createIssuer}. */
export type IssuerDeps = {
  /** Every request to the provider goes through it (metrics, tests). @defaultValue global fetch */
  readonly fetch?: typeof fetch | undefined;
  /** Per-request timeout towards the provider, in seconds. @defaultValue 5 */
  readonly timeoutSec?: number | undefined;
};

/**
 * Plain http is allowed only for a loopback issuer (local development and tests); config
 * validation already refuses any other http issuer.
 */
export function createIssuer(settings: OidcSettings, deps: IssuerDeps = {}): Issuer {
  let discovered: Promise<client.Configuration> | undefined;
  const discover = async (): Promise<client.Configuration> => {
    const url = new URL(settings.issuer);
    const insecure = url.protocol === 'http:';
    const config = await client.discovery(
      url,
      settings.clientId,
      settings.clientSecret,
      client.ClientSecretPost(settings.clientSecret),
      {
        ...(insecure ? { execute: [client.allowInsecureRequests] } : {}),
        ...(deps.fetch === undefined ? {} : { [client.customFetch]: deps.fetch }),
        timeout: deps.timeoutSec ?? 5,
      },
    );
    // Check the ID token's signature against the JWKS too, not only TLS to the token endpoint.
    client.enableNonRepudiationChecks(config);
    return config;
  };
  return {
    settings,
    configuration: () => {
      discovered ??= discover().catch((error: unknown) => {
        discovered = undefined;
        throw error;
      });
      return discovered;
    },
  };
}
