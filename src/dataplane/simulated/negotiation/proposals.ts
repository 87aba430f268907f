// Proposals as the simulator models them, and the selection rule both IKE versions share.
//
//   Proposal  = protocol + one list per transform type, each list in preference order
//     IKE:  ENCR  [INTEG]  PRF  DH      (no INTEG transform when ENCR is AEAD, RFC 5282)
//     ESP:  ENCR  [INTEG]  DH           (DH 0 = NONE, i.e. no PFS; RFC 7296 §3.3.2)
//
// A peer's configured lists become one proposal with every combination allowed, split in two
// when it mixes AEAD and classic ciphers (an AEAD proposal cannot carry an integrity transform);
// the half whose cipher comes first in the list comes first. The PRF list of an IKE proposal is
// its integrity list (sha2-256 -> prf sha2-256, ...), also for AEAD proposals.

import type { DhGroup, Encryption, IkeVersion, Integrity } from '../../../domain/algorithms.ts';
import { isAead } from '../../../domain/algorithms.ts';
import type { NegotiatedParameters } from '../../../domain/entities.ts';
// The simulator writes its log the way charon does, so it uses charon's names for DH groups.
import { CHARON_DH } from '../../strongswan/charon-names.ts';
import type { Role } from './outcome.ts';

/** A DH group, or 0 for NONE (an ESP proposal without PFS). */
export type DhOrNone = DhGroup | 0;

export interface Proposal {
  protocol: 'IKE' | 'ESP';
  encryption: Encryption[];
  /** Empty in an AEAD proposal. */
  integrity: Integrity[];
  /** IKE only; empty in ESP. */
  prf: Integrity[];
  /** IKE: the DH groups; ESP: the PFS groups, or [0] without PFS. */
  dh: DhOrNone[];
}

/** One transform of each type, as a responder picks them. */
export interface Selected {
  protocol: 'IKE' | 'ESP';
  encryption: Encryption;
  integrity?: Integrity;
  prf?: Integrity;
  dh: DhOrNone;
}

export interface IkeLists {
  encryption: Encryption[];
  integrity: Integrity[];
  dhGroups: DhGroup[];
}

export interface EspLists {
  encryption: Encryption[];
  integrity: Integrity[];
  pfsGroups: DhGroup[];
}

/** Splits a cipher list into its AEAD and classic halves, in order of first appearance. */
function splitCiphers(encryption: Encryption[]): { aead: boolean; ciphers: Encryption[] }[] {
  const halves: { aead: boolean; ciphers: Encryption[] }[] = [];
  for (const cipher of encryption) {
    const aead = isAead(cipher);
    let half = halves.find((h) => h.aead === aead);
    if (!half) halves.push((half = { aead, ciphers: [] }));
    half.ciphers.push(cipher);
  }
  return halves;
}

export function ikeProposals(configs: IkeLists[]): Proposal[] {
  return configs.flatMap((c) =>
    splitCiphers(c.encryption).map(({ aead, ciphers }) => ({
      protocol: 'IKE' as const,
      encryption: ciphers,
      integrity: aead ? [] : [...c.integrity],
      prf: [...c.integrity],
      dh: [...c.dhGroups],
    })),
  );
}

export function espProposals(configs: EspLists[]): Proposal[] {
  return configs.flatMap((c) =>
    splitCiphers(c.encryption).map(({ aead, ciphers }) => ({
      protocol: 'ESP' as const,
      encryption: ciphers,
      integrity: aead ? [] : [...c.integrity],
      prf: [],
      dh: c.pfsGroups.length > 0 ? [...c.pfsGroups] : [0 as const],
    })),
  );
}

export function isAeadProposal(p: Proposal): boolean {
  return p.encryption.length > 0 && p.encryption.every(isAead);
}

function firstCommon<T>(offered: readonly T[], accepted: readonly T[]): T | undefined {
  return offered.find((t) => accepted.includes(t));
}

/**
 * The transforms the responder picks from one offered proposal, or null if it cannot; `own`:
 * each transform in the responder's order (charon's prefer_configured_proposals), else the offer's.
 */
function match(offered: Proposal, accepted: Proposal, own = false): Selected | null {
  if (offered.protocol !== accepted.protocol) return null;
  const pick = <T>(o: readonly T[], a: readonly T[]): T | undefined => (own ? firstCommon(a, o) : firstCommon(o, a));
  const encryption = pick(offered.encryption, accepted.encryption);
  const dh = pick(offered.dh, accepted.dh);
  if (encryption === undefined || dh === undefined) return null;
  const selected: Selected = { protocol: offered.protocol, encryption, dh };
  if (offered.integrity.length > 0 || accepted.integrity.length > 0) {
    const integrity = pick(offered.integrity, accepted.integrity);
    if (integrity === undefined) return null;
    selected.integrity = integrity;
  }
  if (offered.protocol === 'IKE') {
    const prf = pick(offered.prf, accepted.prf);
    if (prf === undefined) return null;
    selected.prf = prf;
  }
  return selected;
}

/** Where each selected transform sits in the offered proposal, type by type. */
function rank(offered: Proposal, s: Selected): number[] {
  const at = <T>(list: T[], v: T | undefined): number => (v === undefined ? -1 : list.indexOf(v));
  return [at(offered.encryption, s.encryption), at(offered.integrity, s.integrity), at(offered.prf, s.prf), at(offered.dh, s.dh)];
}

function earlier(a: number[], b: number[]): boolean {
  const i = a.findIndex((v, k) => v !== b[k]);
  return i >= 0 && a[i] < b[i];
}

/** Whose order decides: the responder's own (charon's default) or the initiator's offer. */
export type Preference = 'responder' | 'initiator';

/**
 * The responder's pick. `responder` (charon, prefer_configured_proposals = yes): its first
 * configured proposal that matches any offered one, each transform in its own order.
 * `initiator` (RFC 7296 §2.7 read literally): the first offered proposal it finds acceptable and,
 * within it, the first acceptable transform of each type in the offered order. IKEv1 suites go
 * through the same rule, each suite being a one-transform proposal.
 */
export function selectProposal(offered: Proposal[], accepted: Proposal[], prefer: Preference = 'initiator'): Selected | null {
  if (prefer === 'responder') {
    for (const a of accepted) {
      for (const o of offered) {
        const selected = match(o, a, true);
        if (selected) return selected;
      }
    }
    return null;
  }
  for (const o of offered) {
    let best: Selected | null = null;
    for (const a of accepted) {
      const selected = match(o, a);
      if (selected && (!best || earlier(rank(o, selected), rank(o, best)))) best = selected;
    }
    if (best) return best;
  }
  return null;
}

/** ESP proposals as they travel in IKE_AUTH: no key exchange, so no PFS group (RFC 7296 §1.2). */
export function withoutPfs(proposals: Proposal[]): Proposal[] {
  return proposals.map((p) => ({ ...p, dh: [0 as const] }));
}

function union<T>(lists: T[][]): T[] {
  return [...new Set(lists.flat())];
}

function alternatives(values: string[]): string {
  return values.length === 0 ? 'none' : values.join(' or ');
}

function groups(values: DhOrNone[]): string {
  return alternatives(values.map((g) => (g === 0 ? 'no PFS' : `group ${g}`)));
}

/**
 * Why no offered proposal was acceptable, as "<what> (<offerer> offers ..., <accepter> accepts
 * ...)": the first transform type whose offered and accepted values are disjoint, or, when every
 * type overlaps somewhere, the proposals themselves.
 */
export function explainNoProposal(offered: Proposal[], accepted: Proposal[], offerer: Role, accepter: Role): string {
  const sides = (o: string, a: string): string => `(${offerer} offers ${o}, ${accepter} accepts ${a})`;
  const disjoint = <T>(o: T[], a: T[]): boolean => !o.some((t) => a.includes(t));
  const enc = [union(offered.map((p) => p.encryption)), union(accepted.map((p) => p.encryption))];
  if (disjoint(enc[0], enc[1])) return `no matching encryption algorithm ${sides(alternatives(enc[0]), alternatives(enc[1]))}`;
  const integ = [union(offered.map((p) => p.integrity)), union(accepted.map((p) => p.integrity))];
  if (integ[0].length > 0 && integ[1].length > 0 && disjoint(integ[0], integ[1])) {
    return `no matching integrity algorithm ${sides(alternatives(integ[0]), alternatives(integ[1]))}`;
  }
  const prf = [union(offered.map((p) => p.prf)), union(accepted.map((p) => p.prf))];
  if ((prf[0].length > 0 || prf[1].length > 0) && disjoint(prf[0], prf[1])) {
    return `no matching PRF ${sides(alternatives(prf[0]), alternatives(prf[1]))}`;
  }
  const dh = [union(offered.map((p) => p.dh)), union(accepted.map((p) => p.dh))];
  if (disjoint(dh[0], dh[1])) {
    if (offered[0]?.protocol !== 'ESP') return `no matching DH group ${sides(groups(dh[0]), groups(dh[1]))}`;
    const pfsless = (g: DhOrNone[]): boolean => g.length === 1 && g[0] === 0;
    if (pfsless(dh[0]) && !dh[1].includes(0)) {
      return `PFS mismatch (${offerer} offers no PFS, ${accepter} requires PFS ${groups(dh[1])})`;
    }
    if (pfsless(dh[1]) && !dh[0].includes(0)) {
      return `PFS mismatch (${offerer} offers PFS ${groups(dh[0])}, ${accepter} accepts no PFS)`;
    }
    return `no matching PFS group ${sides(groups(dh[0]), groups(dh[1]))}`;
  }
  return `no proposal is acceptable as a whole (${offerer} offers ${formatProposals(offered)}; ${accepter} accepts ${formatProposals(accepted)})`;
}

/** IKEv1 phase 1: every combination of a classic proposal as one suite (enc, then hash, then group). */
export function ikeV1Suites(proposals: Proposal[]): Proposal[] {
  return proposals
    .filter((p) => !isAeadProposal(p))
    .flatMap((p) =>
      p.encryption.flatMap((encryption) =>
        p.integrity.flatMap((integrity) =>
          p.dh.map((dh) => ({ protocol: p.protocol, encryption: [encryption], integrity: [integrity], prf: [integrity], dh: [dh] })),
        ),
      ),
    );
}

/** IKEv1 quick mode: one suite per cipher (and hash), all carrying the one PFS group of the KE payload. */
export function espV1Suites(proposals: Proposal[], pfs: DhOrNone): Proposal[] {
  return allEspV1Suites(proposals.map((p) => ({ ...p, dh: p.dh.includes(pfs) ? [pfs] : [] })));
}

/** Every IKEv1 ESP suite of a configuration, as charon lists them: cipher, then hash, then group. */
export function allEspV1Suites(proposals: Proposal[]): Proposal[] {
  return proposals.flatMap((p) =>
    p.encryption.flatMap((encryption) =>
      (p.integrity.length > 0 ? p.integrity.map((i) => [i]) : [[]]).flatMap((integrity) =>
        p.dh.map((dh) => ({ protocol: p.protocol, encryption: [encryption], integrity, prf: [], dh: [dh] })),
      ),
    ),
  );
}

export function toNegotiated(ikeVersion: IkeVersion, phase1: Selected, phase2: Selected): NegotiatedParameters {
  // IKE always has a PRF; with an AEAD cipher the PRF stands in for the absent integrity transform.
  const prf = phase1.prf ?? phase1.integrity!;
  const params: NegotiatedParameters = {
    ikeVersion,
    phase1: { encryption: phase1.encryption, integrity: phase1.integrity ?? prf, prf, dhGroup: phase1.dh as DhGroup },
    phase2: { encryption: phase2.encryption },
  };
  if (phase2.integrity !== undefined) params.phase2.integrity = phase2.integrity;
  if (phase2.dh !== 0) params.phase2.dhGroup = phase2.dh;
  return params;
}

// Transform names as charon logs them (IANA registry names).
const ENCRYPTION_NAMES: Record<Encryption, string> = {
  'aes128-cbc': 'AES_CBC_128',
  'aes192-cbc': 'AES_CBC_192',
  'aes256-cbc': 'AES_CBC_256',
  'aes128-gcm16': 'AES_GCM_16_128',
  'aes256-gcm16': 'AES_GCM_16_256',
  '3des-cbc': '3DES_CBC',
  'sm4-cbc': 'SM4_CBC',
};
const HASH_NAMES: Record<Integrity, [integrity: string, prf: string]> = {
  sha1: ['HMAC_SHA1_96', 'PRF_HMAC_SHA1'],
  'sha2-256': ['HMAC_SHA2_256_128', 'PRF_HMAC_SHA2_256'],
  'sha2-384': ['HMAC_SHA2_384_192', 'PRF_HMAC_SHA2_384'],
  'sha2-512': ['HMAC_SHA2_512_256', 'PRF_HMAC_SHA2_512'],
  md5: ['HMAC_MD5_96', 'PRF_HMAC_MD5'],
  sm3: ['HMAC_SM3', 'PRF_HMAC_SM3'],
};

export function dhName(group: DhOrNone | undefined): string {
  return group === undefined || group === 0 ? 'NONE' : CHARON_DH[group];
}

function formatTransforms(protocol: 'IKE' | 'ESP', enc: Encryption[], integ: Integrity[], prf: Integrity[], dh: DhOrNone[]): string {
  const names = [
    ...enc.map((e) => ENCRYPTION_NAMES[e]),
    ...integ.map((i) => HASH_NAMES[i][0]),
    ...prf.map((p) => HASH_NAMES[p][1]),
    ...dh.filter((g) => g !== 0).map(dhName),
    ...(protocol === 'ESP' ? ['NO_EXT_SEQ'] : []),
  ];
  return `${protocol}:${names.join('/')}`;
}

/** e.g. "IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048". */
export function formatProposal(p: Proposal): string {
  return formatTransforms(p.protocol, p.encryption, p.integrity, p.prf, p.dh);
}

export function formatProposals(ps: Proposal[]): string {
  return ps.length === 0 ? '(none)' : ps.map(formatProposal).join(', ');
}

export function formatSelected(s: Selected): string {
  const opt = <T>(v: T | undefined): T[] => (v === undefined ? [] : [v]);
  return formatTransforms(s.protocol, [s.encryption], opt(s.integrity), opt(s.prf), [s.dh]);
}
