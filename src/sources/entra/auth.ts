/**
 * App-only access tokens for Graph: an MSAL `ConfidentialClientApplication` with the client
 * credentials grant, a client secret or a certificate. MSAL caches the token in memory and
 * renews it five minutes before it expires; one application object lives as long as the source.
 *
 * @see https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow
 */
import { readFile } from 'node:fs/promises';
import { X509Certificate, createPrivateKey } from 'node:crypto';

import { AuthError, ConfidentialClientApplication, ServerError } from '@azure/msal-node';
import type {
  INetworkModule,
  NetworkRequestOptions,
  NetworkResponse,
  NodeAuthOptions,
} from '@azure/msal-node';
import type { AuthenticationProvider } from '@microsoft/microsoft-graph-client';

import { SyncError, errorMessage } from '../../errors.js';
import { fetchText, type FetchFn } from '../../http/fetch-json.js';
import type { EntraSourceConfig } from './config.js';

/**
 * Login hosts MSAL knows itself (public and national clouds, with their aliases). Any other
 * host — a private cloud, the simulator — is declared through `knownAuthorities`, which makes
 * MSAL skip instance discovery and read the tenant's OpenID metadata from that host instead.
 */
const microsoftLoginHosts: ReadonlySet<string> = new Set([
  'login.microsoftonline.com',
  'login.windows.net',
  'login.microsoft.com',
  'sts.windows.net',
  'login.partner.microsoftonline.cn',
  'login.chinacloudapi.cn',
  'login.microsoftonline.de',
  'login.microsoftonline.us',
  'login.usgovcloudapi.net',
  'login-us.microsoftonline.com',
  'login.sovcloud-identity.fr',
  'login.sovcloud-identity.de',
  'login.sovcloud-identity.sg',
]);

/** The credentials part of the configuration. */
type AuthConfig = Pick<
  EntraSourceConfig,
  'tenantId' | 'clientId' | 'clientSecret' | 'certificatePath' | 'authorityHost' | 'graphBaseUrl'
>;

/**
 * graph-client's authentication provider backed by MSAL. The application is built on first use
 * (a certificate is read then, so building the source does no I/O); every failure is a
 * {@link SyncError} that says what to fix and never contains the credential.
 */
export function createTokenProvider(config: AuthConfig, fetchFn: FetchFn): AuthenticationProvider {
  let app: Promise<ConfidentialClientApplication> | undefined;
  const scopes = [`${config.graphBaseUrl}/.default`];
  const application = (): Promise<ConfidentialClientApplication> =>
    (app ??= buildApplication(config, fetchFn).catch((error: unknown) => {
      app = undefined; // an unreadable certificate may be fixed before the next run
      throw error;
    }));
  const acquire = async (): Promise<string> => {
    try {
      const result = await (await application()).acquireTokenByClientCredential({ scopes });
      if (result === null || result.accessToken === '') {
        throw new SyncError('SOURCE_UNAUTHORIZED', 'Entra returned no access token');
      }
      return result.accessToken;
    } catch (error) {
      throw toAuthError(error, config);
    }
  };
  // Concurrent callers share one acquisition: MSAL's cache is empty until the first answer, so
  // parallel first requests (users and groups delta) would each fetch metadata and a token.
  let inFlight: Promise<string> | undefined;
  return {
    getAccessToken() {
      inFlight ??= acquire().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
  };
}

async function buildApplication(
  config: AuthConfig,
  fetchFn: FetchFn,
): Promise<ConfidentialClientApplication> {
  const host = new URL(config.authorityHost).host;
  const auth: NodeAuthOptions = {
    clientId: config.clientId,
    authority: `${config.authorityHost}/${encodeURIComponent(config.tenantId)}`,
  };
  if (!microsoftLoginHosts.has(new URL(config.authorityHost).hostname)) {
    auth.knownAuthorities = [host];
  }
  if (config.certificatePath !== undefined) {
    auth.clientCertificate = await readCertificate(config.certificatePath);
  } else {
    auth.clientSecret = config.clientSecret;
  }
  return new ConfidentialClientApplication({
    auth,
    system: { networkClient: networkModule(fetchFn) },
  });
}

/**
 * MSAL's transport over the injected `fetch` and the project's HTTP helper (timeouts), so that
 * token requests and Graph calls go the same way. Failures are MSAL errors, as MSAL expects.
 */
function networkModule(fetchFn: FetchFn): INetworkModule {
  const send = async <T>(
    url: string,
    method: 'GET' | 'POST',
    options: NetworkRequestOptions | undefined,
    timeoutMs = 30_000,
  ): Promise<NetworkResponse<T>> => {
    const endpoint = `${method} ${new URL(url).pathname}`;
    let text: string;
    let status: number;
    let headers: Headers;
    try {
      ({ text, status, headers } = await fetchText(fetchFn, {
        url,
        method,
        headers: options?.headers,
        body: method === 'POST' ? (options?.body ?? '') : undefined,
        timeoutMs,
        endpoint,
        unavailableCode: 'SOURCE_UNAVAILABLE',
      }));
    } catch (error) {
      throw new AuthError('network_error', '', errorMessage(error));
    }
    try {
      return {
        status,
        headers: Object.fromEntries(headers.entries()),
        body: JSON.parse(text) as T,
      };
    } catch {
      throw new AuthError(
        'token_parsing_error',
        '',
        `${endpoint} answered HTTP ${status} without JSON`,
      );
    }
  };
  return {
    sendGetRequestAsync: (url, options, timeout) => send(url, 'GET', options, timeout),
    sendPostRequestAsync: (url, options) => send(url, 'POST', options),
  };
}

/** The certificate credential from one PEM file holding the certificate and its private key. */
export async function readCertificate(
  path: string,
): Promise<{ thumbprintSha256: string; privateKey: string; x5c: string }> {
  const invalid = (reason: string, cause?: unknown) =>
    new SyncError('CONFIG_INVALID', `ENTRA_CLIENT_CERTIFICATE_PATH (${path}): ${reason}`, {
      cause,
    });
  let pem: string;
  try {
    pem = await readFile(path, 'utf8');
  } catch (error) {
    throw invalid(`cannot read the file: ${errorMessage(error)}`, error);
  }
  const certificate = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0];
  const privateKey =
    /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC )?PRIVATE KEY-----/.exec(
      pem,
    )?.[0];
  if (certificate === undefined || privateKey === undefined) {
    throw invalid('expected a PEM file with a CERTIFICATE and an unencrypted PRIVATE KEY block');
  }
  try {
    createPrivateKey(privateKey);
    const thumbprintSha256 = new X509Certificate(certificate).fingerprint256.replaceAll(':', '');
    return { thumbprintSha256, privateKey, x5c: certificate };
  } catch (error) {
    throw invalid(`unusable certificate or key: ${errorMessage(error)}`, error);
  }
}

/** MSAL's error codes for failures that are about reaching Entra, not about our credentials. */
const networkErrorCodes: ReadonlySet<string> = new Set([
  'network_error',
  'endpoints_resolution_error',
  'openid_config_error',
  'untrusted_authority',
]);

/** An MSAL failure as a {@link SyncError} naming the variable to check. */
export function toAuthError(error: unknown, config: AuthConfig): SyncError {
  if (error instanceof SyncError) {
    return error;
  }
  const endpoint = `POST ${config.authorityHost}/${config.tenantId}/oauth2/v2.0/token`;
  if (!(error instanceof AuthError)) {
    return new SyncError(
      'SOURCE_UNAVAILABLE',
      `Entra token request failed: ${errorMessage(error)}`,
      {
        endpoint,
        cause: error,
      },
    );
  }
  const status = error instanceof ServerError ? error.status : undefined;
  const reason = `${error.errorCode}: ${describe(error.errorMessage)}`;
  const details = { endpoint, status, cause: error };
  if (status === 429) {
    return new SyncError(
      'SOURCE_RATE_LIMITED',
      `Entra throttled the token request (${reason})`,
      details,
    );
  }
  if ((status !== undefined && status >= 500) || networkErrorCodes.has(error.errorCode)) {
    return new SyncError(
      'SOURCE_UNAVAILABLE',
      `Cannot get a token from ${config.authorityHost} (${reason}); check ENTRA_AUTHORITY_HOST and the network`,
      details,
    );
  }
  const app = `app ${config.clientId} in tenant ${config.tenantId}`;
  const credential =
    config.certificatePath === undefined ? 'ENTRA_CLIENT_SECRET' : 'ENTRA_CLIENT_CERTIFICATE_PATH';
  const hints: Record<string, string> = {
    invalid_client: `Entra rejected the credentials of ${app} (${reason}); the client secret or certificate is wrong or expired: create a new one in the app registration and update ${credential}`,
    unauthorized_client: `Entra does not know ${app} (${reason}); check ENTRA_CLIENT_ID and ENTRA_TENANT_ID, and that the app is registered in that tenant`,
    invalid_scope: `Entra refused the scope ${config.graphBaseUrl}/.default for ${app} (${reason}); check GRAPH_BASE_URL matches the cloud of ENTRA_AUTHORITY_HOST`,
  };
  return new SyncError(
    'SOURCE_UNAUTHORIZED',
    hints[error.errorCode] ??
      `Entra refused a token for ${app} (${reason}); check ENTRA_TENANT_ID, ENTRA_CLIENT_ID and ${credential}`,
    details,
  );
}

/** MSAL's message without its trace/correlation boilerplate, e.g. `AADSTS7000222: The provided client secret keys … are expired.` */
function describe(message: string): string {
  const description =
    /Description: ([\s\S]*?)(?: - Correlation ID:|$)/.exec(message)?.[1] ?? message;
  return description.split(/\r?\n/)[0]?.trim() ?? description;
}
