/**
 * A throwaway certificate authority for HTTPS simulators. The CA is kept in a directory
 * (`ca.pem`, `ca-key.pem`) so that a wrapper can create it before the test runner starts and put
 * `ca.pem` in `NODE_EXTRA_CA_CERTS`: Node reads that variable only at process start, and MSAL and
 * graph-client trust nothing else (reference idp-apis.md §0, §I.2). Every simulator then gets a
 * fresh server certificate for `localhost`/`127.0.0.1`/`::1`, signed by that CA, in memory.
 */
import { createPrivateKey, generateKeyPairSync, randomUUID, X509Certificate } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import {
  existsSync,
  linkSync,
  mkdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';

import { createCertificate } from './x509.js';

/** TLS material for one simulator. */
export type TestTls = {
  /** Absolute path of the CA certificate (the value for `NODE_EXTRA_CA_CERTS`). */
  caPath: string;
  /** The CA certificate, PEM. */
  caCert: string;
  /** The server's private key, PEM (PKCS#8). */
  key: string;
  /** The server certificate, PEM, signed by the CA. */
  cert: string;
};

type Ca = { certPem: string; privateKey: KeyObject; publicKey: KeyObject };

const CA_NAME = 'litellm-idp-sync test CA';
const DAY_MS = 86_400_000;

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function createCa(): Ca & { keyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const now = Date.now();
  const certPem = createCertificate({
    commonName: CA_NAME,
    publicKey,
    signingKey: privateKey,
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + 3650 * DAY_MS),
    isCa: true,
  });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return { certPem, keyPem, privateKey, publicKey };
}

/** Reads a CA that is complete, unexpired and whose key matches; undefined otherwise. */
function readCa(certPath: string, keyPath: string): Ca | undefined {
  if (!existsSync(certPath) || !existsSync(keyPath)) {
    return undefined;
  }
  try {
    const certPem = readFileSync(certPath, 'utf8');
    const privateKey = createPrivateKey(readFileSync(keyPath, 'utf8'));
    const x509 = new X509Certificate(certPem);
    const usable =
      x509.checkPrivateKey(privateKey) && Date.parse(x509.validTo) > Date.now() + DAY_MS;
    return usable ? { certPem, privateKey, publicKey: x509.publicKey } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Loads the CA in `dir`, creating it when missing or unusable. Safe against several processes
 * doing this at once: the key file is claimed with an atomic `link`, the loser waits for the
 * winner's certificate.
 */
function loadOrCreateCa(dir: string): Ca {
  mkdirSync(dir, { recursive: true });
  const certPath = join(dir, 'ca.pem');
  const keyPath = join(dir, 'ca-key.pem');
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const existing = readCa(certPath, keyPath);
    if (existing) {
      return existing;
    }
    const keyOnly = existsSync(keyPath) && !existsSync(certPath);
    if (keyOnly && attempt < 40) {
      sleepSync(50); // another process claimed the key and is about to write the certificate
      continue;
    }
    if (existsSync(keyPath)) {
      unlinkSync(keyPath); // an expired or mismatched pair, or a key abandoned by a crash
    }
    const fresh = createCa();
    const tmpKey = `${keyPath}.${process.pid}.${randomUUID()}`;
    writeFileSync(tmpKey, fresh.keyPem, { mode: 0o600 });
    try {
      linkSync(tmpKey, keyPath);
    } catch {
      continue; // lost the race; the next round reads the winner's pair
    } finally {
      unlinkSync(tmpKey);
    }
    const tmpCert = `${certPath}.${process.pid}.${randomUUID()}`;
    writeFileSync(tmpCert, fresh.certPem);
    renameSync(tmpCert, certPath);
    return fresh;
  }
  throw new Error(`could not create or read a test CA in ${dir}`);
}

/**
 * Returns the CA kept in `dir` (created on first use) and a new server certificate for
 * `localhost`, `127.0.0.1` and `::1` signed by it.
 *
 * @param dir - folder for `ca.pem` / `ca-key.pem`, e.g. `.test-ca`
 * @param hosts - extra DNS names or IPs for the server certificate
 * @example
 * const tls = ensureTestCa('.test-ca');
 * https.createServer({ key: tls.key, cert: tls.cert }, handler);
 */
export function ensureTestCa(dir: string, hosts: readonly string[] = []): TestTls {
  const absolute = resolve(dir);
  const ca = loadOrCreateCa(absolute);
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const now = Date.now();
  const cert = createCertificate({
    commonName: 'localhost',
    publicKey,
    issuer: { commonName: CA_NAME, privateKey: ca.privateKey, publicKey: ca.publicKey },
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + 30 * DAY_MS),
    altNames: ['localhost', '127.0.0.1', '::1', ...hosts],
    extendedKeyUsage: ['serverAuth'],
  });
  return {
    caPath: join(absolute, 'ca.pem'),
    caCert: ca.certPem,
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    cert,
  };
}
