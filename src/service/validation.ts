// Domain invariants the services re-check whatever a dialect already validated at its edge.

import ipaddr from 'ipaddr.js';
import { ENCRYPTION_ALGORITHMS, INTEGRITY_ALGORITHMS, isAead, isDhGroup, isEncryption, isIntegrity } from '../domain/algorithms.ts';
import { isCidr, isInsideTunnelAddress, isIpv4 } from '../domain/cidr.ts';
import type { DeviceProfile, IkePolicy, IpsecPolicy, PolicyRule, Tag } from '../domain/entities.ts';
import { DomainError } from '../domain/errors.ts';
import { hasControlCharacters, type IdentityType, identityKind, identityProblem } from '../domain/identity.ts';

export function checkTags(tags: Tag[]): void {
  if (tags.length > 20) throw DomainError.invalid('tags', 'at most 20 tags are allowed');
  const seen = new Set<string>();
  for (const tag of tags) {
    if (tag.key.length < 1 || tag.key.length > 128) throw DomainError.invalid('tags', `tag key must be 1 to 128 characters: ${tag.key}`);
    if (tag.value.length > 255) throw DomainError.invalid('tags', `tag value must be at most 255 characters for key ${tag.key}`);
    if (seen.has(tag.key)) throw DomainError.invalid('tags', `duplicate tag key ${tag.key}`);
    seen.add(tag.key);
  }
}

export function checkCidrs(field: string, cidrs: string[]): void {
  for (const c of cidrs) if (!isCidr(c)) throw DomainError.invalid(field, `${field} contains an invalid CIDR: ${c}`);
}

export function checkPolicyRules(rules: PolicyRule[]): void {
  if (rules.length > 5) throw DomainError.invalid('policyRules', 'at most 5 policy rules are allowed');
  const indexes = new Set<number>();
  for (const rule of rules) {
    if (!Number.isInteger(rule.ruleIndex) || rule.ruleIndex < 0 || rule.ruleIndex > 50) {
      throw DomainError.invalid('policyRules.ruleIndex', `rule_index must be between 0 and 50: ${rule.ruleIndex}`);
    }
    if (indexes.has(rule.ruleIndex)) throw DomainError.invalid('policyRules.ruleIndex', `duplicate rule_index ${rule.ruleIndex}`);
    indexes.add(rule.ruleIndex);
    if (!isCidr(rule.source)) throw DomainError.invalid('policyRules.source', `invalid source CIDR ${rule.source}`);
    if (rule.destinations.length < 1 || rule.destinations.length > 50) {
      throw DomainError.invalid('policyRules.destination', 'a policy rule needs 1 to 50 destination CIDRs');
    }
    checkCidrs('policyRules.destination', rule.destinations);
  }
}

export function checkIkePolicy(p: IkePolicy): void {
  if (p.versions.length === 0) throw DomainError.invalid('ike.versions', 'at least one IKE version is required');
  checkAlgorithms('ike', p.encryption, p.integrity);
  if (p.dhGroups.length === 0 || !p.dhGroups.every(isDhGroup)) throw DomainError.invalid('ike.dhGroups', 'invalid DH groups');
  if (p.lifetimeSeconds < 60 || p.lifetimeSeconds > 604800)
    throw DomainError.invalid('ike.lifetimeSeconds', 'IKE lifetime must be 60 to 604800 seconds');
  if (p.localIdType === 'fqdn' && !p.localId) throw DomainError.invalid('ike.localId', 'local_id is required when local_id_type is fqdn');
  if (p.peerIdType === 'fqdn' && !p.peerId) throw DomainError.invalid('ike.peerId', 'peer_id is required when peer_id_type is fqdn');
  // With type ip the ids are the (already checked) addresses; a named id must read back as itself.
  if (p.localIdType === 'fqdn') checkIdentity('ike.localId', 'fqdn', p.localId!);
  if (p.peerIdType === 'fqdn') checkIdentity('ike.peerId', 'fqdn', p.peerId!);
}

export function checkIpsecPolicy(p: IpsecPolicy): void {
  checkAlgorithms('ipsec', p.encryption, p.integrity);
  if (!p.pfsGroups.every(isDhGroup)) throw DomainError.invalid('ipsec.pfsGroups', 'invalid PFS groups');
  if (p.lifetimeSeconds < 30 || p.lifetimeSeconds > 604800)
    throw DomainError.invalid('ipsec.lifetimeSeconds', 'IPsec lifetime must be 30 to 604800 seconds');
}

function checkAlgorithms(phase: string, encryption: string[], integrity: string[]): void {
  if (encryption.length === 0 || !encryption.every(isEncryption)) {
    throw DomainError.invalid(`${phase}.encryption`, `encryption must be among ${ENCRYPTION_ALGORITHMS.join(', ')}`);
  }
  if (integrity.length === 0 || !integrity.every(isIntegrity)) {
    throw DomainError.invalid(`${phase}.integrity`, `integrity must be among ${INTEGRITY_ALGORITHMS.join(', ')}`);
  }
}

/** A tunnel inside address such as 169.254.56.225/30: a host inside a link-local /30. */
export function checkTunnelAddress(field: string, value: string): void {
  if (!isInsideTunnelAddress(value)) {
    throw DomainError.invalid(field, `${field} must be an address in 169.254.0.0/16 with prefix /30: ${value}`);
  }
}

const NAME = /^[A-Za-z0-9_.-]{1,64}$/;

export function checkName(field: string, name: string): void {
  if (!NAME.test(name)) {
    throw DomainError.invalid(field, `${field} must be 1 to 64 characters of letters, digits, underscores, hyphens and periods`);
  }
}

/** An IKE identity of the given type (domain/identity.ts): what reaches charon and generated configs. */
export function checkIdentity(field: string, type: IdentityType, value: string): void {
  const problem = identityProblem(type, value);
  if (problem) throw DomainError.invalid(field, `${field} ${problem} when its type is ${type}`);
}

/** Free text that is shown in generated device configurations: one line, no control characters. */
export function checkText(field: string, value: string): void {
  if (hasControlCharacters(value))
    throw DomainError.invalid(field, `${field} must not contain control characters such as line breaks or tabs`);
}

function invalidProfile(field: string, message: string): never {
  throw DomainError.invalid(`deviceProfile.${field}`, `device profile: ${message}`);
}

/** The domain's own check of a device profile, whatever the dialect validated at its edge. */
export function checkDeviceProfile(p: DeviceProfile): void {
  if (
    p.ikeVersions.length === 0 ||
    new Set(p.ikeVersions).size !== p.ikeVersions.length ||
    !p.ikeVersions.every((v) => v === 'v1' || v === 'v2')
  ) {
    invalidProfile('ikeVersions', 'IKE versions must be v1 and/or v2, each at most once');
  }
  if (p.ikeProposals.length === 0) invalidProfile('ikeProposals', 'at least one IKE proposal is required');
  for (const ike of p.ikeProposals) {
    if (ike.encryption.length === 0 || !ike.encryption.every(isEncryption))
      invalidProfile('ikeProposals', 'invalid IKE encryption algorithms');
    if (ike.integrity.length === 0 || !ike.integrity.every(isIntegrity)) invalidProfile('ikeProposals', 'invalid IKE integrity algorithms');
    if (ike.dhGroups.length === 0 || !ike.dhGroups.every(isDhGroup)) invalidProfile('ikeProposals', 'invalid IKE DH groups');
  }
  if (p.espProposals.length === 0) invalidProfile('espProposals', 'at least one ESP proposal is required');
  for (const esp of p.espProposals) {
    if (esp.encryption.length === 0 || !esp.encryption.every(isEncryption))
      invalidProfile('espProposals', 'invalid ESP encryption algorithms');
    if (!esp.integrity.every(isIntegrity)) invalidProfile('espProposals', 'invalid ESP integrity algorithms');
    if (esp.integrity.length === 0 && !esp.encryption.every(isAead))
      invalidProfile('espProposals', 'an ESP proposal with a non-AEAD cipher needs an integrity algorithm');
    if (!esp.pfsGroups.every(isDhGroup)) invalidProfile('espProposals', 'invalid ESP PFS groups');
  }
  if (p.psk !== undefined && (p.psk.length < 8 || p.psk.length > 128))
    invalidProfile('psk', 'the pre-shared key must be 8 to 128 characters');
  if (p.psk !== undefined && hasControlCharacters(p.psk)) invalidProfile('psk', 'the pre-shared key must not contain control characters');
  if (p.idType === 'fqdn' && !p.idValue) invalidProfile('idValue', 'an identity value is required when the identity type is fqdn');
  if (p.idType === 'ip' && p.idValue !== undefined && !isIpv4(p.idValue)) {
    invalidProfile('idValue', 'the identity value must be an IPv4 address when the identity type is ip');
  }
  const fqdnProblem = p.idType === 'fqdn' && p.idValue ? identityProblem('fqdn', p.idValue) : null;
  if (fqdnProblem) invalidProfile('idValue', `the identity value ${fqdnProblem} when the identity type is fqdn`);
  if (p.gatewayId !== undefined && identityKind(p.gatewayId) === null) {
    invalidProfile(
      'gatewayId',
      'the gateway identity must be an IP address, a domain name, a user@domain name or a key id (@# and hex digits)',
    );
  }
  if (p.dpd && (p.dpd.intervalSeconds < 10 || p.dpd.intervalSeconds > 3600 || p.dpd.timeoutSeconds < 2 || p.dpd.timeoutSeconds > 60)) {
    invalidProfile('dpd', 'DPD interval must be 10 to 3600 seconds and timeout 2 to 60 seconds');
  }
  if (p.subnets && (p.subnets.length === 0 || !p.subnets.every((s) => isCidr(s)))) invalidProfile('subnets', 'subnets must be CIDR blocks');
}

export { hasControlCharacters };

/**
 * A pre-shared key goes into every device configuration and IKE daemon that uses it; a control
 * character (NUL, a newline, DEL) truncates it or breaks the file it lands in.
 */
export function checkPskCharacters(field: string, psk: string): void {
  if (hasControlCharacters(psk)) throw DomainError.invalid(field, 'the pre-shared key must not contain control characters');
}

/** Address ranges no IKE peer can be reached at. */
const UNREACHABLE_RANGES = new Map([
  ['unspecified', 'an unspecified address'],
  ['loopback', 'a loopback address'],
  ['broadcast', 'the broadcast address'],
  ['multicast', 'a multicast address'],
]);

/**
 * A customer gateway's IPv4 address must be one a peer can have: not unspecified (0.0.0.0/8),
 * loopback (127.0.0.0/8), the broadcast address or multicast (224.0.0.0/4).
 */
export function checkPeerAddress(field: string, ip: string): void {
  const range = ipaddr.IPv4.isValidFourPartDecimal(ip) ? ipaddr.IPv4.parse(ip).range() : undefined;
  const what = range && UNREACHABLE_RANGES.get(range);
  if (what) {
    throw DomainError.invalid(field, `the customer gateway IP address ${ip} is ${what}; it must be a unicast address`);
  }
}
