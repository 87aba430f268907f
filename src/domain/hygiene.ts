// Remarks on a negotiated result that hold whatever negotiated it: algorithms a careful operator
// avoids, and values that differ from the first choices the operator configured on the gateway.

import type { DhGroup, Encryption, Integrity } from './algorithms.ts';
import { isAead, WEAK_DH_GROUPS, WEAK_ENCRYPTION, WEAK_INTEGRITY } from './algorithms.ts';
import type { IkePolicy, IpsecPolicy, NegotiatedParameters } from './entities.ts';

const WHY_ENCRYPTION: Partial<Record<Encryption, string>> = {
  '3des-cbc': '64-bit block cipher (Sweet32); prefer aes256-gcm16 or aes256-cbc',
};
const WHY_INTEGRITY: Partial<Record<Integrity, string>> = {
  md5: 'MD5 collisions are practical; prefer sha2-256 or stronger',
  sha1: 'SHA-1 is deprecated; prefer sha2-256 or stronger',
};
const MODP_BITS: Partial<Record<DhGroup, number>> = { 1: 768, 2: 1024, 5: 1536 };

function weakEncryption(phase: 1 | 2, e: Encryption): string[] {
  return WEAK_ENCRYPTION.includes(e) ? [`phase ${phase} encryption ${e} is weak: ${WHY_ENCRYPTION[e] ?? 'avoid it'}`] : [];
}

function weakHash(phase: 1 | 2, what: 'integrity' | 'PRF', i: Integrity | undefined): string[] {
  return i !== undefined && WEAK_INTEGRITY.includes(i) ? [`phase ${phase} ${what} ${i} is weak: ${WHY_INTEGRITY[i] ?? 'avoid it'}`] : [];
}

function weakGroup(phase: 1 | 2, what: 'DH group' | 'PFS group', g: DhGroup | undefined): string[] {
  if (g === undefined || !WEAK_DH_GROUPS.includes(g)) return [];
  return [`phase ${phase} ${what} ${g} is weak: ${MODP_BITS[g] ?? 'short'}-bit MODP; prefer group 14, 19 or stronger`];
}

/** Hygiene warnings: 3DES, MD5, SHA-1 and DH groups 1, 2 and 5, in either phase. */
export function describeWeakChoices(params: NegotiatedParameters): string[] {
  const { phase1, phase2 } = params;
  return [
    ...weakEncryption(1, phase1.encryption),
    ...weakHash(1, 'integrity', phase1.integrity),
    ...(phase1.prf !== undefined && phase1.prf !== phase1.integrity ? weakHash(1, 'PRF', phase1.prf) : []),
    ...weakGroup(1, 'DH group', phase1.dhGroup),
    ...weakEncryption(2, phase2.encryption),
    ...weakHash(2, 'integrity', phase2.integrity),
    ...weakGroup(2, 'PFS group', phase2.dhGroup),
  ];
}

function differs<T>(what: string, got: T | undefined, first: T | undefined): string[] {
  return got !== undefined && first !== undefined && got !== first
    ? [`${what} ${got} negotiated instead of the first choice ${first}`]
    : [];
}

/** Where the negotiated values leave the gateway's first choices: IKE version, each algorithm, PFS. */
export function describeChoiceDrift(ike: IkePolicy, ipsec: IpsecPolicy, params: NegotiatedParameters): string[] {
  const { phase1, phase2 } = params;
  const drift: string[] = [];
  if (ike.versions[0] !== undefined && params.ikeVersion !== ike.versions[0]) {
    drift.push(`IKE version ${params.ikeVersion} negotiated instead of the first preference ${ike.versions[0]}`);
  }
  drift.push(...differs('phase 1 encryption', phase1.encryption, ike.encryption[0]));
  if (isAead(phase1.encryption)) drift.push(...differs('phase 1 PRF', phase1.prf ?? phase1.integrity, ike.integrity[0]));
  else drift.push(...differs('phase 1 integrity', phase1.integrity, ike.integrity[0]));
  drift.push(...differs('phase 1 DH group', phase1.dhGroup, ike.dhGroups[0]));
  drift.push(...differs('phase 2 encryption', phase2.encryption, ipsec.encryption[0]));
  drift.push(...differs('phase 2 integrity', phase2.integrity, ipsec.integrity[0]));
  const pfs = ipsec.pfsGroups[0];
  if (pfs === undefined && phase2.dhGroup !== undefined) {
    drift.push(`PFS group ${phase2.dhGroup} negotiated although PFS is disabled`);
  } else if (pfs !== undefined && phase2.dhGroup === undefined) {
    drift.push(`phase 2 negotiated without PFS although PFS group ${pfs} is configured`);
  } else {
    drift.push(...differs('PFS group', phase2.dhGroup, pfs));
  }
  return drift;
}

/** "traffic selectors narrowed to A === B (configured C === D)". */
export function describeNarrowing(
  agreed: { local: string[]; remote: string[] },
  configured: { local: string[]; remote: string[] },
): string {
  const side = (s: { local: string[]; remote: string[] }) => `${s.local.join(', ')} === ${s.remote.join(', ')}`;
  return `traffic selectors narrowed to ${side(agreed)} (configured ${side(configured)})`;
}
