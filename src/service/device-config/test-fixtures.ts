// Domain objects for the generator unit tests: a two-tunnel route-based connection with AWS's
// default policies, built without a store.
import fc from 'fast-check';
import type { CustomerGateway, IkePolicy, IpsecPolicy, Tunnel, VpnConnection, VpnGateway } from '../../domain/entities.ts';
import type { DeviceConfigInput } from './common.ts';

export const PSKS = ['Tunnel.one_secret', 'Tunnel.two_secret'];

export const IKE: IkePolicy = {
  versions: ['v2', 'v1'],
  phase1Mode: 'main',
  encryption: ['aes128-cbc', 'aes256-cbc', 'aes128-gcm16', 'aes256-gcm16'],
  integrity: ['sha2-256', 'sha1', 'sha2-384', 'sha2-512'],
  dhGroups: [14, 2, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24],
  authMethod: 'pre-share',
  lifetimeSeconds: 28800,
  rekeyMarginSeconds: 270,
  rekeyFuzzPercent: 100,
  localIdType: 'ip',
  peerIdType: 'ip',
  dpd: { timeoutSeconds: 40, intervalSeconds: 10, msg: 'seq-hash-notify', action: 'clear' },
};

export const IPSEC: IpsecPolicy = {
  encryption: ['aes128-cbc', 'aes256-cbc', 'aes128-gcm16', 'aes256-gcm16'],
  integrity: ['sha2-256', 'sha1', 'sha2-384', 'sha2-512'],
  pfsGroups: [14, 2, 5, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24],
  lifetimeSeconds: 3600,
  transformProtocol: 'esp',
  encapsulationMode: 'tunnel',
  replayWindowSize: 1024,
};

export function tunnel(index: number, over: Partial<Tunnel> = {}): Tunnel {
  return {
    id: `t${index}`,
    connectionId: 'vpn-0a1b2c3d4e5f60718',
    index,
    outsideIpId: `ip${index}`,
    outsideIp: `203.0.113.${index + 1}`,
    tunnelLocalAddress: `169.254.${40 + index}.1/30`,
    tunnelPeerAddress: `169.254.${40 + index}.2/30`,
    psk: PSKS[index],
    ike: IKE,
    ipsec: IPSEC,
    startupAction: 'add',
    generation: 1,
    observed: {
      provisioning: 'available',
      ikeStatus: 'UP',
      statusMessage: '',
      lastStatusChange: '2024-01-01T00:00:00.000Z',
      generation: 1,
    },
    ...over,
  };
}

export function input(
  over: Partial<VpnConnection> = {},
  tunnels: Tunnel[] = [tunnel(0), tunnel(1)],
  cgwOver: Partial<CustomerGateway> = {},
): DeviceConfigInput {
  const connection = {
    id: 'vpn-0a1b2c3d4e5f60718',
    cgwId: 'cgw-0123456789abcdef0',
    vgwId: 'vgw-0123456789abcdef0',
    style: 'static',
    peerSubnets: [],
    policyRules: [],
    staticRoutes: [],
    tunnels,
    ...over,
  } as unknown as VpnConnection;
  const gateway = { id: connection.vgwId, bgpAsn: 64512, localSubnets: ['10.0.0.0/16'] } as unknown as VpnGateway;
  const cgw = { id: connection.cgwId, idType: 'ip', idValue: '198.51.100.7', bgpAsn: 65000, ...cgwOver } as unknown as CustomerGateway;
  return { connection, gateway, cgw };
}

/** Strings rich in what matters to a configuration file: syntax characters, controls, any code point. */
export function hostileString(options: { minLength?: number } = {}): fc.Arbitrary<string> {
  const special = fc.constantFrom('\n', '\r', '\t', '\0', '"', '\\', '{', '}', '#', '=', ' ', ':', '.', ',', '\u0085', '\u2028', '\u001b');
  const ascii = fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c));
  const control = fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c));
  const any = fc.integer({ min: 0, max: 0x10ffff - 0x800 }).map((c) => String.fromCodePoint(c >= 0xd800 ? c + 0x800 : c));
  return fc.array(fc.oneof(special, ascii, control, any), { minLength: options.minLength ?? 0, maxLength: 40 }).map((cs) => cs.join(''));
}
