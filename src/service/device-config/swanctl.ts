/*
 * A complete swanctl.conf for the customer's strongSwan device, built from a connection's real
 * values (domain objects, so the Huawei dialect's peer-configuration export can use it too):
 *
 *   connections {
 *     vpn-0a1b-tunnel1 {                      one IKE connection per tunnel
 *       version = 2
 *       local_addrs = 198.51.100.7            the customer gateway
 *       remote_addrs = 203.0.113.1            the tunnel's outside IP
 *       proposals = aes128-aes256-sha256-modp2048, aes128gcm16-prfsha256-modp2048
 *       rekey_time = 28530s ...               lifetime - margin; over_time margin; rand_time margin * fuzz
 *       local { auth = psk  id = "198.51.100.7" }  remote { auth = psk  id = "203.0.113.1" }
 *       children { vpn-0a1b-tunnel1 { local_ts, remote_ts, esp_proposals, rekey/life/rand_time,
 *                                      dpd_action, start_action, if_id_in/out (route-based) } }
 *     }
 *   }
 *   secrets { ike-vpn-0a1b-tunnel1 { id = "203.0.113.1"  secret = "REPLACE_WITH_TUNNEL1_PSK" } }
 *
 * Every value goes through swanctl-syntax.ts (identities and secrets always quoted, comments on
 * one line). A secret is the tunnel's key only when the caller passes `psk`; by default it is a
 * named placeholder.
 */
import { isAead } from '../../domain/algorithms.ts';
import { addressOf } from '../../domain/cidr.ts';
import type { Tunnel, VpnConnection } from '../../domain/entities.ts';
import { strongswanIkeVersion, strongswanProposals, unsupportedByStrongswan } from '../../domain/strongswan-names.ts';
import { tunnelIntent } from '../intents.ts';
import { type DeviceConfigInput, pskOf, pskPlaceholder, rekeyTiming, sampleIkeVersion } from './common.ts';
import { blank, comment as c, type Entry, kv, kvQuoted, secretValue, section, writeConf } from './swanctl-syntax.ts';

/** What DPD does to the customer's CHILD_SA; strongSwan has no "none", clear is the closest. */
const DPD_ACTION = { clear: 'clear', none: 'clear', restart: 'restart' } as const;

/** A proposals line; none at all would silently mean strongSwan's defaults, so it says so instead. */
function proposals(key: string, list: string[]): Entry[] {
  return list.length > 0
    ? [kv(key, list.join(', '))]
    : [c(`${key}: none of the allowed algorithms exists in strongSwan; this tunnel cannot be configured.`)];
}

/**
 * What a customer without kernel ESP (charon's kernel-libipsec plugin, ESP in user space through
 * the ipsec0 TUN device) must change; both seen with real charons (README, strongSwan section).
 */
function libipsecNotes(localTs: string[], remoteTs: string[]): Entry[] {
  if ([...localTs, ...remoteTs].some((ts) => ts === '0.0.0.0/0' || ts === '::/0')) {
    return [
      c('Without kernel ESP (kernel-libipsec): if_id_in/if_id_out do nothing (no XFRM interface) and charon routes'),
      c("0.0.0.0/0 into ipsec0, which also takes the other tunnel's IKE packets, so DPD closes that tunnel. Set"),
      c('local_ts to your site subnet and remote_ts to the subnet behind the gateway (the gateway narrows to them),'),
      c('and give this host an address inside local_ts (e.g. on lo).'),
    ];
  }
  return [
    c('Without kernel ESP (kernel-libipsec): give this host an address inside local_ts (e.g. on lo), or charon answers TS_UNACCEPTABLE.'),
  ];
}

// ---- the file ----------------------------------------------------------------------------------

/** The conn, child and secret name of a tunnel (section() keeps it to letters, digits, - and _). */
function tunnelName(connection: VpnConnection, t: Tunnel): string {
  return `${connection.id}-tunnel${t.index + 1}`;
}

function connectionSection(input: DeviceConfigInput, t: Tunnel): Entry {
  const { connection, gateway, cgw } = input;
  const intent = tunnelIntent(connection, t, gateway, cgw);
  const version = sampleIkeVersion(t, input.ikeVersion);
  const ike = rekeyTiming(t.ike.lifetimeSeconds, t.ike.rekeyMarginSeconds, t.ike.rekeyFuzzPercent);
  const esp = rekeyTiming(t.ipsec.lifetimeSeconds, t.ike.rekeyMarginSeconds, t.ike.rekeyFuzzPercent);
  const routeBased = connection.style === 'static' || connection.style === 'bgp';
  const name = tunnelName(connection, t);
  const ikeProposals = strongswanProposals(
    { encryption: t.ike.encryption, integrity: t.ike.integrity, groups: t.ike.dhGroups },
    version,
    'ike',
  );
  const espProposals = strongswanProposals(
    { encryption: t.ipsec.encryption, integrity: t.ipsec.integrity, groups: t.ipsec.pfsGroups },
    version,
    'esp',
  );
  const skipped = [...new Set([...unsupportedByStrongswan(t.ike), ...unsupportedByStrongswan(t.ipsec)])];
  const local = intent.remote; // the customer's side of the tunnel
  const remote = intent.local; // the gateway's side
  const ifId = t.index + 1;
  const children: Entry[] = [
    c(`Traffic selectors, mirrored from the gateway's (${routeBased ? 'route-based' : 'policy-based'}).`),
    ...libipsecNotes(local.subnets, remote.subnets),
    kv('local_ts', local.subnets.join(', ')),
    kv('remote_ts', remote.subnets.join(', ')),
    c(
      `Phase 2 encryption ${t.ipsec.encryption.join(', ')}; integrity ${t.ipsec.integrity.join(', ')}; PFS ${t.ipsec.pfsGroups.length > 0 ? `DH groups ${t.ipsec.pfsGroups.join(', ')}` : 'off'}.`,
    ),
    ...proposals('esp_proposals', espProposals),
    kv('mode', 'tunnel'),
    kv('rekey_time', `${esp.rekey}s`),
    kv('life_time', `${t.ipsec.lifetimeSeconds}s`),
    kv('rand_time', `${esp.rand}s`),
    kv('replay_window', t.ipsec.replayWindowSize),
    kv('dpd_action', DPD_ACTION[t.ike.dpd.action]),
    c(
      t.startupAction === 'add'
        ? 'The gateway waits for this device to initiate.'
        : 'The gateway initiates; this device also starts on traffic.',
    ),
    kv('start_action', t.startupAction === 'add' ? 'start' : 'trap'),
  ];
  if (routeBased) children.push(kv('if_id_in', ifId), kv('if_id_out', ifId));
  const entries: Entry[] = [
    c(`Tunnel ${t.index + 1}: this device ${local.address} <-> gateway ${t.outsideIp}.`),
    ...(routeBased && t.tunnelPeerAddress
      ? [
          c(
            `Inside addresses: this device ${t.tunnelPeerAddress}, gateway ${t.tunnelLocalAddress}. Route-based: create the XFRM interface with`,
          ),
          c(`  ip link add xfrm${ifId} type xfrm dev <outside interface> if_id ${ifId}`),
          c(`  ip address add ${t.tunnelPeerAddress} dev xfrm${ifId} && ip link set xfrm${ifId} up`),
        ]
      : []),
    ...(connection.style === 'bgp' && t.tunnelLocalAddress
      ? [c(`BGP: neighbor ${addressOf(t.tunnelLocalAddress)} remote-as ${gateway.bgpAsn}, local-as ${cgw.bgpAsn}, hold time 30s.`)]
      : []),
    ...(skipped.length > 0 ? [c(`Left out (strongSwan has no such algorithm): ${skipped.join(', ')}.`)] : []),
    ...(version === 'v1' && t.ike.encryption.some(isAead)
      ? [c('AES-GCM is defined for IKEv2 and ESP only, so IKEv1 phase 1 proposals leave it out.')]
      : []),
    kv('version', strongswanIkeVersion(version)),
    ...(local.address !== '%any' ? [kv('local_addrs', local.address)] : []),
    kv('remote_addrs', t.outsideIp),
    ...(version === 'v1' && t.ike.phase1Mode === 'aggressive' ? [kv('aggressive', 'yes')] : []),
    c(
      `Phase 1 encryption ${t.ike.encryption.join(', ')}; integrity ${t.ike.integrity.join(', ')}; DH groups ${t.ike.dhGroups.join(', ')}.`,
    ),
    ...proposals('proposals', ikeProposals),
    c(`Phase 1 lifetime ${t.ike.lifetimeSeconds}s, rekey margin ${ike.margin}s, fuzz ${t.ike.rekeyFuzzPercent}%.`),
    // IKEv1 cannot rekey an ISAKMP SA, it reauthenticates instead.
    kv(version === 'v1' ? 'reauth_time' : 'rekey_time', `${ike.rekey}s`),
    kv('over_time', `${ike.margin}s`),
    kv('rand_time', `${ike.rand}s`),
    kv('dpd_delay', `${t.ike.dpd.intervalSeconds}s`),
    ...(version === 'v1' ? [kv('dpd_timeout', `${t.ike.dpd.timeoutSeconds}s`)] : []),
    kv('mobike', 'no'),
    section('local', [kv('auth', 'psk'), kvQuoted('id', local.id)]),
    section('remote', [kv('auth', 'psk'), kvQuoted('id', remote.id)]),
    section('children', [section(name, children)]),
  ];
  return section(name, entries);
}

function secretSection(input: DeviceConfigInput, t: Tunnel): Entry {
  const gatewayId = tunnelIntent(input.connection, t, input.gateway, input.cgw).local.id;
  const psk = pskOf(input, t);
  return section(`ike-${tunnelName(input.connection, t)}`, [
    kvQuoted('id', gatewayId),
    psk === undefined ? kvQuoted('secret', pskPlaceholder(t)) : secretValue(psk),
  ]);
}

function pskNote(input: DeviceConfigInput): string[] {
  const { tunnels } = input.connection;
  const missing = tunnels.filter((t) => pskOf(input, t) === undefined);
  return [
    ...(missing.length < tunnels.length ? ['THIS FILE CONTAINS PRE-SHARED KEYS. Keep it secret: readable by root only (chmod 600).'] : []),
    ...(missing.length > 0
      ? [
          'PRE-SHARED KEYS ARE NOT INCLUDED. sitevpn does not return them here: each "secret" below is a',
          `placeholder (${missing.map(pskPlaceholder).join(', ')}). Replace it with that tunnel's pre-shared key before loading.`,
        ]
      : []),
  ];
}

/** The whole swanctl.conf for every tunnel of the connection. */
export function swanctlConf(input: DeviceConfigInput): string {
  const { connection, cgw } = input;
  const device = cgw.deviceName ? `, device ${cgw.deviceName}` : '';
  const header = [
    `swanctl.conf for sitevpn VPN connection ${connection.id}`,
    `Customer gateway ${cgw.id} (${cgw.idValue}${device}); ${connection.tunnels.length} tunnel(s); strongSwan 5.9+ with swanctl.`,
    'Save as /etc/swanctl/conf.d/<name>.conf and load it with: swanctl --load-all',
    '',
    ...pskNote(input),
  ];
  const tree: Entry[] = [
    ...header.map((line) => c(line)),
    blank,
    section(
      'connections',
      connection.tunnels.map((t) => connectionSection(input, t)),
    ),
    blank,
    section(
      'secrets',
      connection.tunnels.map((t) => secretSection(input, t)),
    ),
  ];
  return writeConf(tree) + '\n';
}
