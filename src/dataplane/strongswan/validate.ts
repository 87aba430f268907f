// What the strongSwan data plane refuses before anything is stored: algorithms charon has no
// transform for (SM4, SM3), algorithms the running charon did not load a plugin for (from VICI
// get-algorithms, when known), authentication it cannot do with a pre-shared key, and policies
// that would leave no proposal at all. Each refusal is a DomainError('Unsupported') whose message
// names the field, the value and what to choose instead.
import type { DhGroup, Encryption, Integrity } from '../../domain/algorithms.ts';
import { isAead } from '../../domain/algorithms.ts';
import { DomainError } from '../../domain/errors.ts';
import type { TunnelIntent } from '../driver.ts';
import { CHARON_DH, CHARON_ENCRYPTION, CHARON_INTEGRITY, CHARON_PRF } from './charon-names.ts';

/** What a running charon reported through get-algorithms: section → algorithm names. */
export type CharonAlgorithms = ReadonlyMap<string, ReadonlySet<string>>;

const PREFIX = 'the strongSwan data plane';

function unsupported(field: string, message: string): DomainError {
  return new DomainError('Unsupported', `${PREFIX} cannot use ${message}`, { field });
}

function has(algorithms: CharonAlgorithms | undefined, section: string, name: string): boolean {
  if (!algorithms) return true;
  return algorithms.get(section)?.has(name) ?? false;
}

function checkEncryption(field: string, list: Encryption[], algorithms?: CharonAlgorithms): DomainError | null {
  for (const e of list) {
    const c = CHARON_ENCRYPTION[e];
    if (!c)
      return unsupported(field, `encryption ${e}: strongSwan has no ${e.split('-')[0].toUpperCase()} transform; choose an AES algorithm`);
    if (!has(algorithms, c.section, c.alg)) return unsupported(field, `encryption ${e}: the running charon loaded no plugin for ${c.alg}`);
  }
  return null;
}

function checkIntegrity(field: string, list: Integrity[], prf: boolean, algorithms?: CharonAlgorithms): DomainError | null {
  for (const i of list) {
    const name = CHARON_INTEGRITY[i];
    if (!name) return unsupported(field, `integrity ${i}: strongSwan has no ${i.toUpperCase()} transform; choose a SHA-2 algorithm`);
    if (!has(algorithms, 'integrity', name)) return unsupported(field, `integrity ${i}: the running charon loaded no plugin for ${name}`);
    const prfName = CHARON_PRF[i];
    if (prf && prfName && !has(algorithms, 'prf', prfName))
      return unsupported(field, `integrity ${i}: the running charon loaded no plugin for ${prfName}`);
  }
  return null;
}

function checkGroups(field: string, list: DhGroup[], algorithms?: CharonAlgorithms): DomainError | null {
  for (const g of list) {
    const name = CHARON_DH[g];
    if (!name) return unsupported(field, `DH group ${g}: strongSwan has no such group`);
    if (!has(algorithms, 'dh', name)) return unsupported(field, `DH group ${g}: the running charon loaded no plugin for ${name}`);
  }
  return null;
}

/** null when charon can negotiate the intent as it is. */
export function validateForStrongswan(intent: TunnelIntent, algorithms?: CharonAlgorithms): DomainError | null {
  const { ike, ipsec } = intent.config;
  const ikeOnlyV1 = !ike.versions.includes('v2');
  const refusal =
    checkEncryption('ike.encryption', ike.encryption, algorithms) ??
    checkIntegrity('ike.integrity', ike.integrity, true, algorithms) ??
    checkGroups('ike.dhGroups', ike.dhGroups, algorithms) ??
    checkEncryption('ipsec.encryption', ipsec.encryption, algorithms) ??
    checkIntegrity('ipsec.integrity', ipsec.integrity, false, algorithms) ??
    checkGroups('ipsec.pfsGroups', ipsec.pfsGroups, algorithms);
  if (refusal) return refusal;
  if (ike.authMethod !== 'pre-share') {
    return unsupported('ike.authMethod', `authentication method ${ike.authMethod}: only pre-shared keys are supported`);
  }
  if (ikeOnlyV1 && ike.encryption.every(isAead)) {
    return unsupported(
      'ike.encryption',
      `only AES-GCM for an IKEv1 phase 1: AES-GCM is defined for IKEv2 and ESP only; add an AES-CBC algorithm`,
    );
  }
  if (ikeOnlyV1 && ike.phase1Mode === 'aggressive') {
    return unsupported(
      'ike.phase1Mode',
      'IKEv1 aggressive mode with a pre-shared key: charon refuses it as a responder (it exposes a crackable hash of the key); use main mode',
    );
  }
  if (ipsec.encryption.some((e) => !isAead(e)) && ipsec.integrity.length === 0) {
    return unsupported('ipsec.integrity', 'a CBC cipher without an integrity algorithm');
  }
  return null;
}

/** Parses a get-algorithms answer (section → {name: plugin}) into sets of names. */
export function algorithmsFromVici(message: ReadonlyMap<string, unknown>): CharonAlgorithms {
  const out = new Map<string, Set<string>>();
  for (const [section, value] of message) {
    if (value instanceof Map) out.set(section, new Set(value.keys()));
  }
  return out;
}
