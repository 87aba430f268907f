// The ResponseCustomerGateway of the API reference (CreateCgw / ShowCgw / ListCgws / UpdateCgw), in
// its order. bgp_asn is shown only for id_type ip; ca_certificate only when one is bound, and then
// as facts read from the certificate (never its content, never any private material).
import { X509Certificate } from 'node:crypto';
import type { CustomerGateway } from '../../../domain/entities.ts';
import { derivedUuid } from './gateway.ts';

export function renderCustomerGateway(c: CustomerGateway): Record<string, unknown> {
  const out: Record<string, unknown> = { id: c.id, name: c.name, id_type: c.idType, id_value: c.idValue };
  if (c.idType === 'ip') out.bgp_asn = c.bgpAsn;
  if (c.caCertificate) out.ca_certificate = renderCaCertificate(c.id, c.caCertificate);
  out.created_at = c.createdAt;
  out.updated_at = c.updatedAt;
  out.tags = c.tags.map((t) => ({ key: t.key, value: t.value }));
  return out;
}

/** CaCertificate: id, serial_number, signature_algorithm, issuer, subject, expire_time, is_updatable. */
function renderCaCertificate(cgwId: string, pem: string): Record<string, unknown> {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch {
    return { id: derivedUuid(`ca:${cgwId}:${pem}`), is_updatable: true };
  }
  return {
    id: derivedUuid(`ca:${cgwId}:${cert.fingerprint256}`),
    serial_number: cert.serialNumber,
    signature_algorithm: signatureAlgorithm(cert.raw),
    issuer: distinguishedName(cert.issuer),
    subject: distinguishedName(cert.subject),
    expire_time: new Date(cert.validTo).toISOString(),
    is_updatable: true,
  };
}

/** Node prints names one attribute a line; Huawei shows them on one line. */
function distinguishedName(text: string): string {
  return text.split('\n').filter(Boolean).join(', ');
}

const SIGNATURE_ALGORITHMS: Record<string, string> = {
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'rsassaPss',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.2.156.10197.1.501': 'SM2-with-SM3',
  '1.3.101.112': 'ED25519',
  '1.3.101.113': 'ED448',
};

/**
 * The certificate's signatureAlgorithm, read from its DER:
 *   Certificate ::= SEQUENCE { tbsCertificate SEQUENCE, signatureAlgorithm SEQUENCE { OID, ... }, ... }
 */
export function signatureAlgorithm(der: Buffer): string {
  try {
    const cert = header(der, 0);
    const tbs = header(der, cert.start);
    const algorithm = header(der, tbs.end);
    const oid = header(der, algorithm.start);
    if (der[oid.start - oid.headerLength] !== 0x06) return 'unknown';
    const dotted = decodeOid(der.subarray(oid.start, oid.end));
    return SIGNATURE_ALGORITHMS[dotted] ?? dotted;
  } catch {
    return 'unknown';
  }
}

/** A DER element's content range [start, end) for the element whose tag is at offset. */
function header(der: Buffer, offset: number): { start: number; end: number; headerLength: number } {
  let length = der[offset + 1];
  let headerLength = 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    if (bytes < 1 || bytes > 4) throw new Error('unsupported DER length');
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + der[offset + 2 + i];
    headerLength += bytes;
  }
  const start = offset + headerLength;
  if (start + length > der.length) throw new Error('truncated DER');
  return { start, end: start + length, headerLength };
}

function decodeOid(bytes: Buffer): string {
  const parts: number[] = [];
  let value = 0;
  for (const b of bytes) {
    value = value * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) {
      parts.push(value);
      value = 0;
    }
  }
  const first = parts.shift() ?? 0;
  const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  return [...head, ...parts].join('.');
}
