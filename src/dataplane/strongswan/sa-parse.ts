// list-sas (and the ike-updown / child-updown / rekey events, which carry the same sections)
// turned into typed views and into the domain's NegotiatedParameters.
//
//   list-sa event:  { <conn name> = { uniqueid version state local-host remote-host initiator
//                       encr-alg encr-keysize integ-alg prf-alg dh-group established
//                       child-sas = { <child>-<id> = { name uniqueid state encr-alg encr-keysize
//                                       integ-alg dh-group local-ts = [..] remote-ts = [..] } } } }
//
// An AEAD IKE_SA has no integ-alg: its PRF stands in as the phase 1 integrity (AWS reports it so).
// A CHILD_SA built inside IKE_AUTH has no dh-group: phase 2 then has no DH group (PFS unproven).
import type { IkeVersion } from '../../domain/algorithms.ts';
import type { NegotiatedParameters } from '../../domain/entities.ts';
import { dhGroupFromCharon, encryptionFromCharon, integrityFromCharon, prfFromCharon } from './charon-names.ts';
import { getList, getSection, getString, type ViciMessage, type ViciSection } from './vici/message.ts';

export interface ChildSaView {
  name: string;
  uniqueId: number;
  state: string;
  encr?: string;
  encrKeySize?: string;
  integ?: string;
  dh?: string;
  localTs: string[];
  remoteTs: string[];
}

export interface IkeSaView {
  /** The conn name ("(unnamed)" before a responder picked a config). */
  name: string;
  uniqueId: number;
  state: string;
  version: IkeVersion;
  localHost: string;
  remoteHost: string;
  initiator: boolean;
  /** Seconds since the IKE_SA was established (absent while connecting). */
  established?: number;
  encr?: string;
  encrKeySize?: string;
  integ?: string;
  prf?: string;
  dh?: string;
  children: ChildSaView[];
}

function num(s: ViciSection, key: string): number | undefined {
  const v = getString(s, key);
  return v === undefined || v === '' || Number.isNaN(Number(v)) ? undefined : Number(v);
}

function child(s: ViciSection): ChildSaView {
  return {
    name: getString(s, 'name') ?? '',
    uniqueId: num(s, 'uniqueid') ?? 0,
    state: getString(s, 'state') ?? '',
    encr: getString(s, 'encr-alg'),
    encrKeySize: getString(s, 'encr-keysize'),
    integ: getString(s, 'integ-alg'),
    dh: getString(s, 'dh-group'),
    localTs: getList(s, 'local-ts') ?? [],
    remoteTs: getList(s, 'remote-ts') ?? [],
  };
}

/** One IKE_SA section (the value under the conn name). */
export function ikeSaView(name: string, s: ViciSection): IkeSaView {
  const children: ChildSaView[] = [];
  const sas = getSection(s, 'child-sas');
  for (const value of sas?.values() ?? []) if (value instanceof Map) children.push(child(value));
  return {
    name,
    uniqueId: num(s, 'uniqueid') ?? 0,
    state: getString(s, 'state') ?? '',
    version: getString(s, 'version') === '1' ? 'v1' : 'v2',
    localHost: getString(s, 'local-host') ?? '',
    remoteHost: getString(s, 'remote-host') ?? '',
    initiator: getString(s, 'initiator') === 'yes',
    established: num(s, 'established'),
    encr: getString(s, 'encr-alg'),
    encrKeySize: getString(s, 'encr-keysize'),
    integ: getString(s, 'integ-alg'),
    prf: getString(s, 'prf-alg'),
    dh: getString(s, 'dh-group'),
    children,
  };
}

/** Every IKE_SA section of a list-sa (or updown) message; scalar keys such as `up` are skipped. */
export function parseListSa(message: ViciMessage): IkeSaView[] {
  const out: IkeSaView[] = [];
  for (const [name, value] of message) if (value instanceof Map) out.push(ikeSaView(name, value));
  return out;
}

/** The SA pair carrying traffic: an ESTABLISHED IKE_SA with an INSTALLED CHILD_SA, newest first. */
export function activeSa(views: IkeSaView[], childName?: string): { ike: IkeSaView; child: ChildSaView } | undefined {
  const established = views.filter((v) => v.state === 'ESTABLISHED').sort((a, b) => b.uniqueId - a.uniqueId);
  for (const ike of established) {
    const installed = ike.children
      .filter((c) => c.state === 'INSTALLED' && (childName === undefined || c.name === childName))
      .sort((a, b) => b.uniqueId - a.uniqueId);
    if (installed.length > 0) return { ike, child: installed[0] };
  }
  return undefined;
}

export type ParsedParameters = { ok: true; params: NegotiatedParameters } | { ok: false; reason: string };

/** The negotiated algorithms in domain names, or what sitevpn has no name for. */
export function negotiatedOf(ike: IkeSaView, child: ChildSaView): ParsedParameters {
  const unknown: string[] = [];
  const need = <T>(value: T | undefined, raw: string | undefined, what: string): T => {
    if (value === undefined) unknown.push(`${what} ${raw ?? '(none)'}`);
    return value as T;
  };
  const p1Enc = need(
    ike.encr ? encryptionFromCharon(ike.encr, ike.encrKeySize) : undefined,
    joinAlg(ike.encr, ike.encrKeySize),
    'IKE encryption',
  );
  const prf = ike.prf ? prfFromCharon(ike.prf) : undefined;
  const p1Integ = ike.integ ? need(integrityFromCharon(ike.integ), ike.integ, 'IKE integrity') : need(prf, ike.prf, 'IKE PRF');
  const p1Dh = need(ike.dh ? dhGroupFromCharon(ike.dh) : undefined, ike.dh, 'IKE DH group');
  const p2Enc = need(
    child.encr ? encryptionFromCharon(child.encr, child.encrKeySize) : undefined,
    joinAlg(child.encr, child.encrKeySize),
    'ESP encryption',
  );
  const p2Integ = child.integ ? need(integrityFromCharon(child.integ), child.integ, 'ESP integrity') : undefined;
  const p2Dh = child.dh ? need(dhGroupFromCharon(child.dh), child.dh, 'ESP DH group') : undefined;
  if (unknown.length > 0) return { ok: false, reason: `negotiated ${unknown.join(', ')}, which sitevpn has no name for` };
  const phase1: NegotiatedParameters['phase1'] = { encryption: p1Enc, integrity: p1Integ, dhGroup: p1Dh };
  if (prf) phase1.prf = prf;
  const phase2: NegotiatedParameters['phase2'] = { encryption: p2Enc };
  if (p2Integ) phase2.integrity = p2Integ;
  if (p2Dh !== undefined) phase2.dhGroup = p2Dh;
  return { ok: true, params: { ikeVersion: ike.version, phase1, phase2 } };
}

function joinAlg(alg: string | undefined, size: string | undefined): string | undefined {
  return alg === undefined ? undefined : size ? `${alg}_${size}` : alg;
}
