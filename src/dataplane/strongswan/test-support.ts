// An intent for the strongSwan unit tests: a policy tunnel between gateway 192.0.2.1
// (10.10.0.0/24) and customer 198.51.100.7 (10.20.0.0/24), IKEv2 aes256-cbc/sha2-256/group 14,
// ESP aes128-gcm16 with PFS group 19; `over` replaces whole parts.
import type { IkePolicy, IpsecPolicy } from '../../domain/entities.ts';
import type { TunnelIntent } from '../driver.ts';
import { connConfig } from './conn-config.ts';
import { LINK_EVENTS } from './link.ts';
import { FakeViciServer } from './vici/fake-server.ts';
import type { ViciInputSection } from './vici/message.ts';

export function testIntent(
  over: { ike?: Partial<IkePolicy>; ipsec?: Partial<IpsecPolicy>; intent?: Partial<TunnelIntent> } = {},
): TunnelIntent {
  const ike: IkePolicy = {
    versions: ['v2'],
    phase1Mode: 'main',
    encryption: ['aes256-cbc'],
    integrity: ['sha2-256'],
    dhGroups: [14],
    authMethod: 'pre-share',
    lifetimeSeconds: 28800,
    rekeyMarginSeconds: 270,
    rekeyFuzzPercent: 100,
    localIdType: 'ip',
    peerIdType: 'ip',
    dpd: { timeoutSeconds: 15, intervalSeconds: 10, msg: 'seq-hash-notify', action: 'restart' },
    ...over.ike,
  };
  const ipsec: IpsecPolicy = {
    encryption: ['aes128-gcm16'],
    integrity: ['sha2-256'],
    pfsGroups: [19],
    lifetimeSeconds: 3600,
    transformProtocol: 'esp',
    encapsulationMode: 'tunnel',
    replayWindowSize: 1024,
    ...over.ipsec,
  };
  return {
    tunnelId: '5107ab8d-a30b-4ec2-82b7-a13365c76675',
    connectionId: 'vpn-1',
    tenantId: 'tenant-1',
    generation: 1,
    style: 'policy',
    config: { outsideIpId: 'eip-1', outsideIp: '192.0.2.1', psk: 'Peer.Key-0001', ike, ipsec, startupAction: 'start' },
    local: { address: '192.0.2.1', id: '192.0.2.1', subnets: ['10.10.0.0/24'] },
    remote: { address: '198.51.100.7', id: '198.51.100.7', subnets: ['10.20.0.0/24'] },
    policyRules: [],
    ...over.intent,
  };
}

// A fake charon for the driver's unit tests: a FakeViciServer answering what the driver asks at
// connect and per tunnel, list-sas answering the SAs the test sets. The tunnel is on the loopback
// address: the fake listens in this network namespace, so the driver checks the outside IP
// against the host's addresses, and 127.0.0.1 passes.

/** A startup-action-add tunnel on 127.0.0.1 and its conn. */
export function loopbackTunnel() {
  const base = testIntent();
  const intent = testIntent({
    intent: {
      config: { ...base.config, outsideIp: '127.0.0.1', startupAction: 'add' },
      local: { ...base.local, address: '127.0.0.1' },
    },
  });
  return { intent, conn: connConfig(intent) };
}

/** Starts the fake; list-sas answers `sas()` under the conn's name. */
export function startFakeCharon(connName: string, sas: () => ViciInputSection[]): Promise<FakeViciServer> {
  const ok = () => ({ success: 'yes' });
  return FakeViciServer.start({
    events: [...LINK_EVENTS, 'list-sa', 'list-conn', 'control-log'],
    commands: {
      'get-algorithms': () => 'unknown',
      'list-conns': () => ({}),
      'load-shared': ok,
      'load-conn': ok,
      initiate: ok,
      terminate: ok,
      'list-sas': (_request, ctx) => {
        for (const sa of sas()) ctx.emit('list-sa', { [connName]: sa });
        return {};
      },
    },
  });
}
