// strongSwan spellings of the domain's canonical algorithm names (convention 6: name translation
// is data). Pure data, so it lives in the domain: the swanctl.conf generator (service) and the
// strongSwan driver (dataplane) both read it without the service depending on a driver. A domain
// name with no entry here is something strongSwan cannot negotiate: the driver refuses it, a
// generated configuration leaves it out and says so.
//
//   domain            strongSwan keyword (swanctl.conf proposals / esp_proposals)
//   aes128-cbc        aes128          sha2-256   sha256 (integrity)  prfsha256 (PRF, AEAD IKE)
//   aes256-gcm16      aes256gcm16     14         modp2048            20  ecp384
import { type DhGroup, type Encryption, type IkeVersion, type Integrity, isAead } from './algorithms.ts';

export const STRONGSWAN_ENCRYPTION: Readonly<Partial<Record<Encryption, string>>> = Object.freeze({
  'aes128-cbc': 'aes128',
  'aes192-cbc': 'aes192',
  'aes256-cbc': 'aes256',
  'aes128-gcm16': 'aes128gcm16',
  'aes256-gcm16': 'aes256gcm16',
  '3des-cbc': '3des',
  // sm4-cbc: no strongSwan keyword
});

export const STRONGSWAN_INTEGRITY: Readonly<Partial<Record<Integrity, string>>> = Object.freeze({
  sha1: 'sha1',
  'sha2-256': 'sha256',
  'sha2-384': 'sha384',
  'sha2-512': 'sha512',
  md5: 'md5',
  // sm3: no strongSwan keyword
});

/** The PRF an AEAD IKE proposal needs (it has no integrity algorithm to derive one from). */
export const STRONGSWAN_PRF: Readonly<Partial<Record<Integrity, string>>> = Object.freeze({
  sha1: 'prfsha1',
  'sha2-256': 'prfsha256',
  'sha2-384': 'prfsha384',
  'sha2-512': 'prfsha512',
  md5: 'prfmd5',
});

export const STRONGSWAN_DH_GROUPS: Readonly<Record<DhGroup, string>> = Object.freeze({
  1: 'modp768',
  2: 'modp1024',
  5: 'modp1536',
  14: 'modp2048',
  15: 'modp3072',
  16: 'modp4096',
  17: 'modp6144',
  18: 'modp8192',
  19: 'ecp256',
  20: 'ecp384',
  21: 'ecp521',
  22: 'modp1024s160',
  23: 'modp2048s224',
  24: 'modp2048s256',
});

export function strongswanEncryption(e: Encryption): string | undefined {
  return STRONGSWAN_ENCRYPTION[e];
}

export function strongswanIntegrity(i: Integrity): string | undefined {
  return STRONGSWAN_INTEGRITY[i];
}

export function strongswanPrf(i: Integrity): string | undefined {
  return STRONGSWAN_PRF[i];
}

export function strongswanDhGroup(g: DhGroup): string {
  return STRONGSWAN_DH_GROUPS[g];
}

/** swanctl.conf `version`: 1 or 2 (0, "either", is never written: a tunnel has a preferred one). */
export function strongswanIkeVersion(v: IkeVersion): string {
  return v === 'v1' ? '1' : '2';
}

/** Domain names strongSwan has no keyword for, in the order given (for refusals and notes). */
export function unsupportedByStrongswan(p: { encryption: Encryption[]; integrity: Integrity[] }): string[] {
  return [...p.encryption.filter((e) => !STRONGSWAN_ENCRYPTION[e]), ...p.integrity.filter((i) => !STRONGSWAN_INTEGRITY[i])];
}

export interface ProposalLists {
  encryption: Encryption[];
  integrity: Integrity[];
  /** IKE DH groups or ESP PFS groups; empty: none in the proposal (no PFS). */
  groups: DhGroup[];
}

/**
 * strongSwan proposal strings for allowed lists, in preference order. IKEv2 takes several
 * algorithms of a kind in one proposal, so there is one classic proposal and one AEAD proposal
 * (AEAD and classic ciphers never share a proposal; AEAD IKE proposals name PRFs instead of
 * integrity). IKEv1 takes one algorithm of a kind per proposal: every combination is listed.
 * `ike` selects IKE proposals (PRFs for AEAD, a DH group always) over ESP ones.
 */
export function strongswanProposals(lists: ProposalLists, version: IkeVersion, kind: 'ike' | 'esp'): string[] {
  const known = <T>(xs: T[], f: (x: T) => string | undefined) => xs.map(f).filter((x): x is string => x !== undefined);
  const classic = known(
    lists.encryption.filter((e) => !isAead(e)),
    strongswanEncryption,
  );
  const aead = known(lists.encryption.filter(isAead), strongswanEncryption);
  const integrity = known(lists.integrity, strongswanIntegrity);
  const prfs = known(lists.integrity, strongswanPrf);
  const groups = lists.groups.map(strongswanDhGroup);
  // The operator's order decides: an AEAD cipher listed first puts the AEAD proposal first
  // (charon, as a responder, prefers its own order: prefer_configured_proposals = yes).
  const aeadFirst = lists.encryption.length > 0 && isAead(lists.encryption[0]) && !!strongswanEncryption(lists.encryption[0]);
  const out: string[] = [];
  if (version === 'v2') {
    const tail = groups.length > 0 ? [groups.join('-')] : [];
    const c = classic.length > 0 && integrity.length > 0 ? [[classic.join('-'), integrity.join('-'), ...tail].join('-')] : [];
    const a =
      aead.length > 0 && (kind === 'esp' || prfs.length > 0)
        ? [[aead.join('-'), ...(kind === 'ike' ? [prfs.join('-')] : []), ...tail].join('-')]
        : [];
    return aeadFirst ? [...a, ...c] : [...c, ...a];
  }
  const groupChoices = groups.length > 0 ? groups : [undefined];
  // AES-GCM is defined for IKEv2 SAs and ESP (RFC 5282, RFC 4106), not for the IKEv1 ISAKMP SA.
  for (const enc of lists.encryption) {
    const e = strongswanEncryption(enc);
    if (!e) continue;
    if (!isAead(enc)) for (const i of integrity) for (const g of groupChoices) out.push([e, i, g].filter(Boolean).join('-'));
    else if (kind === 'esp') for (const g of groupChoices) out.push([e, g].filter(Boolean).join('-'));
  }
  return out;
}
