/**
 * Discovery documents MSAL asks for when the authority is not a Microsoft cloud: the OIDC
 * configuration (`{authority}/v2.0/.well-known/openid-configuration`), AAD instance discovery
 * (`/common/discovery/instance`, used when the host is not in `knownAuthorities`) and the JWKS.
 * The issuer shares the authority's origin so MSAL's issuer validation accepts it.
 *
 * @see /work/shared/reference/idp-apis.md §B "Discovery / metadata calls"
 */

/** Origins the documents point at. */
export type MetadataOrigins = { login: string; graph: string; tenantId: string };

/** The OIDC configuration of the tenant, shaped like Entra's v2.0 document. */
export function openIdConfiguration(o: MetadataOrigins): Record<string, unknown> {
  const base = `${o.login}/${o.tenantId}`;
  const graphHost = new URL(o.graph).host;
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: [
      'client_secret_post',
      'private_key_jwt',
      'client_secret_basic',
    ],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${base}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${o.graph}/oidc/userinfo`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: [
      'sub',
      'iss',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'acr',
      'nonce',
      'preferred_username',
      'name',
      'tid',
      'ver',
      'email',
    ],
    kerberos_endpoint: `${base}/kerberos`,
    tenant_region_scope: 'NA',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: graphHost,
    rbac_url: 'https://pas.windows.net',
  };
}

/**
 * AAD's instance-discovery answer for the simulator's own host, in the shape msal-common's
 * `CloudInstanceDiscoveryResponse` reads (`tenant_discovery_endpoint`, `metadata[].aliases`).
 * MSAL only calls it for hosts outside `knownAuthorities`, and then on login.microsoftonline.com,
 * so it is reached only through a host-rewriting `system.networkClient` (reference §B).
 */
export function instanceDiscovery(
  o: MetadataOrigins,
  authorizationEndpoint: string | null,
): Record<string, unknown> {
  const host = new URL(o.login).host;
  let tenant = o.tenantId;
  try {
    tenant = new URL(authorizationEndpoint ?? '').pathname.split('/')[1] || tenant;
  } catch {
    // keep the simulator's tenant
  }
  return {
    tenant_discovery_endpoint: `${o.login}/${tenant}/v2.0/.well-known/openid-configuration`,
    'api-version': '1.1',
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
  };
}
