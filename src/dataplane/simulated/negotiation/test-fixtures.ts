// Intents for the negotiation tests: a policy-based tunnel between gateway 192.0.2.1
// (10.0.0.0/16) and device 203.0.113.9 (10.1.0.0/16), IKEv2, aes256-cbc/sha2-256/group 14 in
// both phases, PFS group 14, and a device profile that matches it exactly.
import assert from 'node:assert/strict';
import type { DeviceProfile, IkePolicy, IpsecPolicy } from '../../../domain/entities.ts';
import type { TunnelIntent } from '../../driver.ts';
import type { NegotiationFailure, NegotiationOutcome, NegotiationSuccess } from './outcome.ts';
import type { SimulatedDeviceProfile } from './peers.ts';

export function baseIntent(): TunnelIntent {
  return {
    tunnelId: 'tun-1',
    connectionId: 'vpn-1',
    tenantId: 'tenant-1',
    generation: 1,
    style: 'policy',
    config: {
      outsideIpId: 'eip-1',
      outsideIp: '192.0.2.1',
      psk: 'correct horse',
      ike: {
        versions: ['v2'],
        phase1Mode: 'main',
        encryption: ['aes256-cbc'],
        integrity: ['sha2-256'],
        dhGroups: [14],
        authMethod: 'pre-share',
        lifetimeSeconds: 86400,
        rekeyMarginSeconds: 540,
        rekeyFuzzPercent: 100,
        localIdType: 'ip',
        peerIdType: 'ip',
        dpd: { timeoutSeconds: 15, intervalSeconds: 30, msg: 'seq-hash-notify', action: 'restart' },
      },
      ipsec: {
        encryption: ['aes256-cbc'],
        integrity: ['sha2-256'],
        pfsGroups: [14],
        lifetimeSeconds: 3600,
        transformProtocol: 'esp',
        encapsulationMode: 'tunnel',
        replayWindowSize: 1024,
      },
      startupAction: 'start',
    },
    local: { address: '192.0.2.1', id: '192.0.2.1', subnets: ['10.0.0.0/16'] },
    remote: { address: '203.0.113.9', id: '203.0.113.9', subnets: ['10.1.0.0/16'] },
    policyRules: [],
  };
}

export function baseDevice(): DeviceProfile {
  return {
    ikeVersions: ['v2'],
    ikeProposals: [{ encryption: ['aes256-cbc'], integrity: ['sha2-256'], dhGroups: [14] }],
    espProposals: [{ encryption: ['aes256-cbc'], integrity: ['sha2-256'], pfsGroups: [14] }],
    initiates: true,
    reachable: true,
  };
}

export interface IntentChanges {
  ike?: Partial<IkePolicy>;
  ipsec?: Partial<IpsecPolicy>;
  /** Changes to the base device profile; `null` removes the profile altogether. */
  device?: Partial<SimulatedDeviceProfile> | null;
  psk?: string;
  style?: TunnelIntent['style'];
  local?: Partial<TunnelIntent['local']>;
  remote?: Partial<TunnelIntent['remote']>;
  policyRules?: TunnelIntent['policyRules'];
}

export function intentWith(c: IntentChanges = {}): TunnelIntent {
  const base = baseIntent();
  return {
    ...base,
    style: c.style ?? base.style,
    config: {
      ...base.config,
      psk: c.psk ?? base.config.psk,
      ike: { ...base.config.ike, ...c.ike },
      ipsec: { ...base.config.ipsec, ...c.ipsec },
    },
    local: { ...base.local, ...c.local },
    remote: { ...base.remote, ...c.remote },
    policyRules: c.policyRules ?? base.policyRules,
    ...(c.device === null ? {} : { device: { ...baseDevice(), ...c.device } }),
  };
}

export function expectSuccess(o: NegotiationOutcome): NegotiationSuccess {
  if (!o.ok) assert.fail(`expected success, got ${o.reason}`);
  return o;
}

export function expectFailure(o: NegotiationOutcome): NegotiationFailure {
  if (o.ok || o.notify === 'NONE') assert.fail(`expected a failure, got ${o.ok ? 'success' : o.reason}`);
  return o;
}
