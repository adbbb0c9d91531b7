/**
 * Builds and signs X.509 v3 certificates with `node:crypto` keys (EC P-256 or RSA), enough for a
 * throwaway test CA, a TLS server certificate for `localhost`/`127.0.0.1`, and an application's
 * client-assertion certificate.
 *
 * @see RFC 5280 §4.1 (certificate structure) and §4.2.1 (the extensions used here)
 */
import { createHash, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';

import {
  bitString,
  booleanTrue,
  explicit,
  implicitPrimitive,
  integer,
  nullValue,
  octetString,
  oid,
  sequence,
  set,
  time,
  utf8,
} from './der.js';

/** The issuer of a certificate: its name and signing key. */
export type CertificateIssuer = { commonName: string; privateKey: KeyObject; publicKey: KeyObject };

/** What to put in a certificate. */
export type CertificateSpec = {
  commonName: string;
  publicKey: KeyObject;
  /** Signs the certificate; absent for a self-signed certificate (then `signingKey` is used). */
  issuer?: CertificateIssuer;
  /** Private key matching `publicKey`, required when `issuer` is absent. */
  signingKey?: KeyObject;
  notBefore: Date;
  notAfter: Date;
  isCa?: boolean;
  /** DNS names and IP addresses for subjectAltName. */
  altNames?: readonly string[];
  extendedKeyUsage?: readonly ('serverAuth' | 'clientAuth')[];
};

const OID = {
  commonName: '2.5.4.3',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  subjectKeyId: '2.5.29.14',
  authorityKeyId: '2.5.29.35',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  sha256WithRsa: '1.2.840.113549.1.1.11',
} as const;

function name(commonName: string): Buffer {
  return sequence(set(sequence(oid(OID.commonName), utf8(commonName))));
}

/** The key identifier: SHA-1 over the SubjectPublicKeyInfo (RFC 5280 allows any method). */
function keyId(publicKey: KeyObject): Buffer {
  return createHash('sha1')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest();
}

function signatureAlgorithm(key: KeyObject): Buffer {
  if (key.asymmetricKeyType === 'ec') {
    return sequence(oid(OID.ecdsaWithSha256));
  }
  if (key.asymmetricKeyType === 'rsa') {
    return sequence(oid(OID.sha256WithRsa), nullValue());
  }
  throw new Error(`unsupported signing key type ${String(key.asymmetricKeyType)}`);
}

function extension(id: string, value: Buffer, critical = false): Buffer {
  return critical
    ? sequence(oid(id), booleanTrue(), octetString(value))
    : sequence(oid(id), octetString(value));
}

function altName(entry: string): Buffer {
  const family = isIP(entry);
  if (family === 4) {
    return implicitPrimitive(7, Buffer.from(entry.split('.').map(Number)));
  }
  if (family === 6) {
    return implicitPrimitive(7, ipv6Bytes(entry));
  }
  return implicitPrimitive(2, Buffer.from(entry, 'ascii'));
}

function ipv6Bytes(address: string): Buffer {
  const [head = '', tail = ''] = address.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = address.includes('::')
    ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return Buffer.from(groups.flatMap(g => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]));
}

function extensions(spec: CertificateSpec, issuerKey: KeyObject): Buffer {
  const list: Buffer[] = [
    extension(OID.basicConstraints, spec.isCa ? sequence(booleanTrue()) : sequence(), true),
    // keyUsage named bits, trailing zero bits dropped as DER requires:
    // CA = digitalSignature|keyCertSign|cRLSign; leaf = digitalSignature|keyEncipherment.
    extension(
      OID.keyUsage,
      spec.isCa ? bitString(Buffer.from([0x86]), 1) : bitString(Buffer.from([0xa0]), 5),
      true,
    ),
    extension(OID.subjectKeyId, octetString(keyId(spec.publicKey))),
    extension(OID.authorityKeyId, sequence(implicitPrimitive(0, keyId(issuerKey)))),
  ];
  if (spec.extendedKeyUsage && spec.extendedKeyUsage.length > 0) {
    list.push(extension(OID.extKeyUsage, sequence(...spec.extendedKeyUsage.map(u => oid(OID[u])))));
  }
  if (spec.altNames && spec.altNames.length > 0) {
    list.push(extension(OID.subjectAltName, sequence(...spec.altNames.map(altName))));
  }
  return explicit(3, sequence(...list));
}

function toPem(der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/**
 * Creates a certificate and returns it as PEM.
 *
 * @example
 * const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
 * const pem = createCertificate({ commonName: 'Test CA', publicKey, signingKey: privateKey,
 *   notBefore: new Date(), notAfter: new Date(Date.now() + 86_400_000), isCa: true });
 */
export function createCertificate(spec: CertificateSpec): string {
  const issuerName = spec.issuer?.commonName ?? spec.commonName;
  const signingKey = spec.issuer?.privateKey ?? spec.signingKey;
  const issuerPublicKey = spec.issuer?.publicKey ?? spec.publicKey;
  if (signingKey === undefined) {
    throw new Error('a self-signed certificate needs signingKey');
  }
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f; // keep it positive and at most 20 octets
  const algorithm = signatureAlgorithm(signingKey);
  const tbs = sequence(
    explicit(0, integer(2)), // v3
    integer(serial),
    algorithm,
    name(issuerName),
    sequence(time(spec.notBefore), time(spec.notAfter)),
    name(spec.commonName),
    spec.publicKey.export({ type: 'spki', format: 'der' }),
    extensions(spec, issuerPublicKey),
  );
  // ECDSA signatures come out DER-encoded and RSA ones as PKCS#1 v1.5: both what X.509 expects.
  const signature = sign('sha256', tbs, signingKey);
  return toPem(sequence(tbs, algorithm, bitString(signature)));
}
