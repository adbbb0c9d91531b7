/**
 * The app registrations the token endpoint knows: client id, secret, certificates (indexed by
 * SHA-1 and SHA-256 thumbprint, as `x5t` / `x5t#S256` carry them) and application permissions.
 */
import { X509Certificate, type KeyObject } from 'node:crypto';

import type { SimApp } from '../model.js';

/** A registered app, ready for credential checks. */
export type RegisteredApp = {
  clientId: string;
  clientSecret: string | undefined;
  displayName: string;
  roles: readonly string[];
  /** Public keys by base64url thumbprint (SHA-1 and SHA-256 both present). */
  keys: Map<string, KeyObject>;
};

/** Permissions a default app gets: enough to read users, groups and app role assignments. */
export const DEFAULT_APP_ROLES = ['User.Read.All', 'GroupMember.Read.All', 'Application.Read.All'];

/** Prepares an app for lookups. */
export function registerApp(app: SimApp): RegisteredApp {
  const keys = new Map<string, KeyObject>();
  for (const pem of app.certificates ?? []) {
    const cert = new X509Certificate(pem);
    for (const fingerprint of [cert.fingerprint, cert.fingerprint256]) {
      keys.set(
        Buffer.from(fingerprint.replaceAll(':', ''), 'hex').toString('base64url'),
        cert.publicKey,
      );
    }
  }
  return {
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    displayName: app.displayName ?? 'idp-sync',
    roles: app.roles ?? DEFAULT_APP_ROLES,
    keys,
  };
}
