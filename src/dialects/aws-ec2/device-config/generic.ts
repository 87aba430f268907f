// A vendor-agnostic, human-readable description of every value a customer device needs, tunnel
// by tunnel, with AWS's algorithm spellings. Like swanctl.conf, it never carries a pre-shared key:
// each tunnel's key is a named placeholder.
import type { Tunnel } from '../../../domain/entities.ts';
import { tunnelIntent } from '../../../service/intents.ts';
import { awsEncryption, awsIkeVersion, awsIntegrity } from '../names.ts';
import { pskPlaceholder, pskText, rekeyTiming, sampleIkeVersion, type DeviceConfigInput } from './swanctl.ts';

const STYLE: Record<string, string> = {
  static: 'static routes (route-based, no BGP)',
  bgp: 'dynamic routing with BGP (route-based)',
  policy: 'policy-based',
  'policy-template': 'policy-based (template)',
};

function rows(pairs: Array<[string, string | number | undefined]>, indent: string): string[] {
  const shown = pairs.filter((p): p is [string, string | number] => p[1] !== undefined && p[1] !== '');
  const width = Math.max(...shown.map(([k]) => k.length));
  return shown.map(([k, v]) => `${indent}${k.padEnd(width)} : ${v}`);
}

function tunnelText(input: DeviceConfigInput, t: Tunnel): string[] {
  const { connection, gateway, cgw } = input;
  const intent = tunnelIntent(connection, t, gateway, cgw);
  const version = sampleIkeVersion(t, input.ikeVersion);
  const ike = rekeyTiming(t.ike.lifetimeSeconds, t.ike.rekeyMarginSeconds, t.ike.rekeyFuzzPercent);
  const title = `Tunnel ${t.index + 1}`;
  const pfs = t.ipsec.pfsGroups;
  return [
    title,
    '-'.repeat(title.length),
    '  Outside IP addresses',
    ...rows(
      [
        ['Customer gateway', intent.remote.address === '%any' ? `any (identity ${cgw.idValue})` : intent.remote.address],
        ['VPN gateway', t.outsideIp],
      ],
      '    ',
    ),
    '  Inside IP addresses',
    ...rows(
      [
        ['Customer gateway', t.tunnelPeerAddress ?? 'none'],
        ['VPN gateway', t.tunnelLocalAddress ?? 'none'],
      ],
      '    ',
    ),
    '  Phase 1 (IKE)',
    ...rows(
      [
        ['IKE version', `${awsIkeVersion(version)} (allowed: ${t.ike.versions.map(awsIkeVersion).join(', ')})`],
        ['Mode (IKEv1)', version === 'v1' ? t.ike.phase1Mode : undefined],
        ['Authentication', `pre-shared key ${pskText(input, t)}`],
        ['Encryption', t.ike.encryption.map(awsEncryption).join(', ')],
        ['Integrity', t.ike.integrity.map(awsIntegrity).join(', ')],
        ['DH groups', t.ike.dhGroups.join(', ')],
        ['Lifetime', `${t.ike.lifetimeSeconds} seconds`],
        ['Customer gateway identity', intent.remote.id],
        ['VPN gateway identity', intent.local.id],
      ],
      '    ',
    ),
    '  Phase 2 (IPsec)',
    ...rows(
      [
        ['Protocol and mode', 'ESP, tunnel mode'],
        ['Encryption', t.ipsec.encryption.map(awsEncryption).join(', ')],
        ['Integrity', t.ipsec.integrity.map(awsIntegrity).join(', ')],
        ['PFS DH groups', pfs.length > 0 ? pfs.join(', ') : 'PFS disabled'],
        ['Lifetime', `${t.ipsec.lifetimeSeconds} seconds`],
        ['Replay window', `${t.ipsec.replayWindowSize} packets`],
        ['Customer traffic selector', intent.remote.subnets.join(', ')],
        ['VPN gateway traffic selector', intent.local.subnets.join(', ')],
      ],
      '    ',
    ),
    '  Rekeying and liveness',
    ...rows(
      [
        ['Rekey margin', `${ike.margin} seconds before expiry`],
        ['Rekey fuzz', `${t.ike.rekeyFuzzPercent} %`],
        ['Dead peer detection', `every ${t.ike.dpd.intervalSeconds} seconds, peer dead after ${t.ike.dpd.timeoutSeconds} seconds`],
        ['DPD timeout action (gateway)', t.ike.dpd.action],
        ['Startup action (gateway)', t.startupAction === 'add' ? 'add: the customer gateway must initiate' : 'start: the VPN gateway initiates'],
      ],
      '    ',
    ),
    ...(connection.style === 'bgp' && t.tunnelLocalAddress
      ? [
          '  BGP',
          ...rows(
            [
              ['Neighbor address', t.tunnelLocalAddress.split('/')[0]],
              ['Neighbor ASN', gateway.bgpAsn],
              ['Customer ASN', cgw.bgpAsn],
              ['Hold time', '30 seconds'],
            ],
            '    ',
          ),
        ]
      : []),
    '',
  ];
}

/** The whole generic configuration text. */
export function genericConfig(input: DeviceConfigInput): string {
  const { connection, gateway, cgw } = input;
  const title = `sitevpn VPN connection ${connection.id}: generic device configuration`;
  const placeholders = connection.tunnels.map(pskPlaceholder).join(', ');
  return [
    title,
    '='.repeat(title.length),
    '',
    ...(input.psk
      ? ['Each pre-shared key below is the tunnel\'s own: keep this text private.']
      : ['Pre-shared keys are NOT included. Each key below is a', `placeholder (${placeholders}); use that tunnel's pre-shared key in its place.`]),
    '',
    ...rows(
      [
        ['VPN connection', connection.id],
        ['Customer gateway', `${cgw.id} (${cgw.idValue}, BGP ASN ${cgw.bgpAsn})`],
        ['VPN gateway', `${gateway.id} (BGP ASN ${gateway.bgpAsn})`],
        ['Routing', STYLE[connection.style] ?? connection.style],
        ['Static routes', connection.style === 'static' ? connection.staticRoutes.map((r) => r.cidr).join(', ') || 'none yet' : undefined],
        ['Recommended', 'TCP MSS 1379, clear the DF bit, fragment before encryption'],
      ],
      '  ',
    ),
    '',
    ...connection.tunnels.flatMap((t) => tunnelText(input, t)),
  ].join('\n');
}
