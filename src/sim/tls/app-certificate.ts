/**
 * A self-signed RSA certificate for an application's certificate credential (client assertion).
 * Entra identifies the key by the certificate's SHA-1 (`x5t`) or SHA-256 (`x5t#S256`) thumbprint,
 * which MSAL takes as hex in `clientCertificate.thumbprint` / `thumbprintSha256`.
 */
import { generateKeyPairSync, X509Certificate } from 'node:crypto';

import { createCertificate } from './x509.js';

/** An application certificate and what MSAL needs to sign assertions with it. */
export type AppCertificate = {
  /** Public certificate, PEM: what gets registered on the app. */
  certPem: string;
  /** Private key, PEM (PKCS#8). */
  privateKeyPem: string;
  /** SHA-1 thumbprint, upper-case hex without separators. */
  thumbprint: string;
  /** SHA-256 thumbprint, upper-case hex without separators. */
  thumbprintSha256: string;
};

/**
 * Creates a self-signed RSA-2048 certificate valid from yesterday for `days` days.
 *
 * @example
 * const cert = createAppCertificate('sync-worker');
 * new ConfidentialClientApplication({ auth: { clientId, authority,
 *   clientCertificate: { thumbprintSha256: cert.thumbprintSha256, privateKey: cert.privateKeyPem } } });
 */
export function createAppCertificate(commonName = 'idp-sync test app', days = 365): AppCertificate {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const now = Date.now();
  const certPem = createCertificate({
    commonName,
    publicKey,
    signingKey: privateKey,
    notBefore: new Date(now - 86_400_000),
    notAfter: new Date(now + days * 86_400_000),
    extendedKeyUsage: ['clientAuth'],
  });
  const x509 = new X509Certificate(certPem);
  return {
    certPem,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    thumbprint: x509.fingerprint.replaceAll(':', ''),
    thumbprintSha256: x509.fingerprint256.replaceAll(':', ''),
  };
}
