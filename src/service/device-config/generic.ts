// A vendor-agnostic, human-readable description of every value a customer device needs, tunnel
// by tunnel, with the caller's algorithm spellings. Like swanctl.conf, it carries a pre-shared key
// only when the caller passes `psk`; by default each tunnel's key is a named placeholder. Every
// value goes through plainText, so none can start a line of its own.
import { addressOf } from '../../domain/cidr.ts';
import type { Tunnel } from '../../domain/entities.ts';
import { tunnelIntent } from '../intents.ts';
import { type DeviceConfigInput, DOMAIN_SPELLING, pskOf, pskPlaceholder, rekeyTiming, sampleIkeVersion } from './common.ts';

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * A value on one line: a backslash and every control character (C0, DEL, C1, U+2028/9) are
 * written as escapes (\\, \n, \r, \t, \u{..}), so the text reads back unambiguously.
 */
export function plainText(value: string | number): string {
  return String(value).replace(
    /[\\\u0000-\u001f\u007f-\u009f\u2028\u2029]/g,
    (ch) => ESCAPES[ch] ?? `\\u{${ch.codePointAt(0)!.toString(16)}}`,
  );
}

const STYLE: Record<string, string> = {
  static: 'static routes (route-based, no BGP)',
  bgp: 'dynamic routing with BGP (route-based)',
  policy: 'policy-based',
  'policy-template': 'policy-based (template)',
};

function rows(pairs: Array<[string, string | number | undefined]>, indent: string): string[] {
  const shown = pairs.filter((p): p is [string, string | number] => p[1] !== undefined && p[1] !== '');
  const width = Math.max(...shown.map(([k]) => k.length));
  return shown.map(([k, v]) => `${indent}${k.padEnd(width)} : ${plainText(v)}`);
}

function tunnelText(input: DeviceConfigInput, t: Tunnel): string[] {
  const { connection, gateway, cgw } = input;
  const { encryption, integrity, ikeVersion } = input.spelling ?? DOMAIN_SPELLING;
  const intent = tunnelIntent(connection, t, gateway, cgw);
  const psk = pskOf(input, t);
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
        ['IKE version', `${ikeVersion(version)} (allowed: ${t.ike.versions.map(ikeVersion).join(', ')})`],
        ['Mode (IKEv1)', version === 'v1' ? t.ike.phase1Mode : undefined],
        ['Authentication', psk === undefined ? `pre-shared key ${pskPlaceholder(t)}` : 'pre-shared key'],
        ['Pre-shared key', psk],
        ['Encryption', t.ike.encryption.map(encryption).join(', ')],
        ['Integrity', t.ike.integrity.map(integrity).join(', ')],
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
        ['Encryption', t.ipsec.encryption.map(encryption).join(', ')],
        ['Integrity', t.ipsec.integrity.map(integrity).join(', ')],
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
        [
          'Startup action (gateway)',
          t.startupAction === 'add' ? 'add: the customer gateway must initiate' : 'start: the VPN gateway initiates',
        ],
      ],
      '    ',
    ),
    ...(connection.style === 'bgp' && t.tunnelLocalAddress
      ? [
          '  BGP',
          ...rows(
            [
              ['Neighbor address', addressOf(t.tunnelLocalAddress)],
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
  const missing = connection.tunnels.filter((t) => pskOf(input, t) === undefined);
  return [
    title,
    '='.repeat(title.length),
    '',
    ...(missing.length < connection.tunnels.length
      ? ['THIS TEXT CONTAINS PRE-SHARED KEYS (written with the escapes below). Keep it secret.', '']
      : []),
    ...(missing.length > 0
      ? [
          'Pre-shared keys are NOT included here. Each key below is a',
          `placeholder (${missing.map(pskPlaceholder).join(', ')}); use that tunnel's pre-shared key in its place.`,
          '',
        ]
      : []),
    'Values are written on one line: a backslash or control character in a value appears as \\\\, \\n, \\t or \\u{..}.',
    '',
    ...rows(
      [
        ['VPN connection', connection.id],
        ['Customer gateway', `${cgw.id} (${cgw.idValue}, BGP ASN ${cgw.bgpAsn})`],
        ['Customer device', cgw.deviceName],
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
