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
 *       local { auth = psk  id = 198.51.100.7 }   remote { auth = psk  id = 203.0.113.1 }
 *       children { vpn-0a1b-tunnel1 { local_ts, remote_ts, esp_proposals, rekey/life/rand_time,
 *                                      dpd_action, start_action, if_id_in/out (route-based) } }
 *     }
 *   }
 *   secrets { ike-vpn-0a1b-tunnel1 { id = 203.0.113.1  secret = "REPLACE_WITH_TUNNEL1_PSK" } }
 *
 * The pre-shared keys are never read: every secret is a named placeholder.
 */
import { isAead, type IkeVersion } from '../../../domain/algorithms.ts';
import type { CustomerGateway, Tunnel, VpnConnection, VpnGateway } from '../../../domain/entities.ts';
import { strongswanIkeVersion, strongswanProposals, unsupportedByStrongswan } from '../../../dataplane/strongswan/names.ts';
import { tunnelIntent } from '../../../service/intents.ts';

export interface DeviceConfigInput {
  connection: VpnConnection;
  gateway: VpnGateway;
  cgw: CustomerGateway;
  /** IKE version to configure; default: each tunnel's preferred (first allowed) version. */
  ikeVersion?: IkeVersion;
  /** Write each tunnel's pre-shared key instead of its placeholder (EC2 callers that may see keys). */
  psk?: boolean;
}

/** The tunnel's key when the input asks for it, else its placeholder. */
export function pskText(input: DeviceConfigInput, t: Tunnel): string {
  return input.psk && t.psk ? t.psk : pskPlaceholder(t);
}

/** The placeholder written instead of a tunnel's pre-shared key. */
export function pskPlaceholder(t: Tunnel): string {
  return `REPLACE_WITH_TUNNEL${t.index + 1}_PSK`;
}

/** The version a sample writes for a tunnel: the one asked for, else the tunnel's preferred one. */
export function sampleIkeVersion(t: Tunnel, asked?: IkeVersion): IkeVersion {
  return asked ?? t.ike.versions[0];
}

/** Rekey timing from the customer's side: start `margin` before expiry, randomised by `fuzz` %. */
export function rekeyTiming(lifetime: number, marginSeconds: number, fuzzPercent: number) {
  const margin = marginSeconds > 0 && marginSeconds < lifetime ? marginSeconds : Math.max(1, Math.round(lifetime / 10));
  return { rekey: lifetime - margin, margin, rand: Math.round((margin * Math.min(100, Math.max(0, fuzzPercent))) / 100) };
}

/** What DPD does to the customer's CHILD_SA; strongSwan has no "none", clear is the closest. */
const DPD_ACTION = { clear: 'clear', none: 'clear', restart: 'restart' } as const;

// ---- a tiny swanctl.conf tree: sections, key = value pairs, comment lines -----------------------

export type Entry = { blank: true } | { comment: string } | { key: string; value: string } | { section: string; entries: Entry[] };

const blank: Entry = { blank: true };
const c = (comment: string): Entry => ({ comment });
const kv = (key: string, value: string | number): Entry => ({ key, value: String(value) });
const section = (name: string, entries: Entry[]): Entry => ({ section: name, entries });

export function writeConf(entries: Entry[], depth = 0): string {
  const pad = '  '.repeat(depth);
  return entries
    .map((e) => {
      if ('blank' in e) return '';
      if ('comment' in e) return e.comment === '' ? `${pad}#` : `${pad}# ${e.comment}`;
      if ('key' in e) return `${pad}${e.key} = ${e.value}`;
      return `${pad}${e.section} {\n${writeConf(e.entries, depth + 1)}\n${pad}}`;
    })
    .join('\n');
}

/** A proposals line; none at all would silently mean strongSwan's defaults, so it says so instead. */
function proposals(key: string, list: string[]): Entry[] {
  return list.length > 0 ? [kv(key, list.join(', '))] : [c(`${key}: none of the allowed algorithms exists in strongSwan; this tunnel cannot be configured.`)];
}

/** Section names may only use letters, digits, - and _ (a dot would read as a path separator). */
export function confName(s: string): string {
  return s.replace(/[^A-Za-z0-9_-]/g, '_');
}

// ---- the file ----------------------------------------------------------------------------------

function tunnelName(connection: VpnConnection, t: Tunnel): string {
  return confName(`${connection.id}-tunnel${t.index + 1}`);
}

function connectionSection(input: DeviceConfigInput, t: Tunnel): Entry {
  const { connection, gateway, cgw } = input;
  const intent = tunnelIntent(connection, t, gateway, cgw);
  const version = sampleIkeVersion(t, input.ikeVersion);
  const ike = rekeyTiming(t.ike.lifetimeSeconds, t.ike.rekeyMarginSeconds, t.ike.rekeyFuzzPercent);
  const esp = rekeyTiming(t.ipsec.lifetimeSeconds, t.ike.rekeyMarginSeconds, t.ike.rekeyFuzzPercent);
  const routeBased = connection.style === 'static' || connection.style === 'bgp';
  const name = tunnelName(connection, t);
  const ikeProposals = strongswanProposals({ encryption: t.ike.encryption, integrity: t.ike.integrity, groups: t.ike.dhGroups }, version, 'ike');
  const espProposals = strongswanProposals({ encryption: t.ipsec.encryption, integrity: t.ipsec.integrity, groups: t.ipsec.pfsGroups }, version, 'esp');
  const skipped = [...new Set([...unsupportedByStrongswan(t.ike), ...unsupportedByStrongswan(t.ipsec)])];
  const local = intent.remote; // the customer's side of the tunnel
  const remote = intent.local; // the gateway's side
  const ifId = t.index + 1;
  const children: Entry[] = [
    c(`Traffic selectors, mirrored from the gateway's (${routeBased ? 'route-based' : 'policy-based'}).`),
    kv('local_ts', local.subnets.join(', ')),
    kv('remote_ts', remote.subnets.join(', ')),
    c(`Phase 2 encryption ${t.ipsec.encryption.join(', ')}; integrity ${t.ipsec.integrity.join(', ')}; PFS ${t.ipsec.pfsGroups.length > 0 ? `DH groups ${t.ipsec.pfsGroups.join(', ')}` : 'off'}.`),
    ...proposals('esp_proposals', espProposals),
    kv('mode', 'tunnel'),
    kv('rekey_time', `${esp.rekey}s`),
    kv('life_time', `${t.ipsec.lifetimeSeconds}s`),
    kv('rand_time', `${esp.rand}s`),
    kv('replay_window', t.ipsec.replayWindowSize),
    kv('dpd_action', DPD_ACTION[t.ike.dpd.action]),
    c(t.startupAction === 'add' ? 'The gateway waits for this device to initiate.' : 'The gateway initiates; this device also starts on traffic.'),
    kv('start_action', t.startupAction === 'add' ? 'start' : 'trap'),
  ];
  if (routeBased) children.push(kv('if_id_in', ifId), kv('if_id_out', ifId));
  const entries: Entry[] = [
    c(`Tunnel ${t.index + 1}: this device ${local.address} <-> gateway ${t.outsideIp}.`),
    ...(routeBased && t.tunnelPeerAddress
      ? [
          c(`Inside addresses: this device ${t.tunnelPeerAddress}, gateway ${t.tunnelLocalAddress}. Route-based: create the XFRM interface with`),
          c(`  ip link add xfrm${ifId} type xfrm dev <outside interface> if_id ${ifId}`),
          c(`  ip address add ${t.tunnelPeerAddress} dev xfrm${ifId} && ip link set xfrm${ifId} up`),
        ]
      : []),
    ...(connection.style === 'bgp' && t.tunnelLocalAddress
      ? [c(`BGP: neighbor ${t.tunnelLocalAddress.split('/')[0]} remote-as ${gateway.bgpAsn}, local-as ${cgw.bgpAsn}, hold time 30s.`)]
      : []),
    ...(skipped.length > 0 ? [c(`Left out (strongSwan has no such algorithm): ${skipped.join(', ')}.`)] : []),
    ...(version === 'v1' && t.ike.encryption.some(isAead) ? [c('AES-GCM is defined for IKEv2 and ESP only, so IKEv1 phase 1 proposals leave it out.')] : []),
    kv('version', strongswanIkeVersion(version)),
    ...(local.address !== '%any' ? [kv('local_addrs', local.address)] : []),
    kv('remote_addrs', t.outsideIp),
    ...(version === 'v1' && t.ike.phase1Mode === 'aggressive' ? [kv('aggressive', 'yes')] : []),
    c(`Phase 1 encryption ${t.ike.encryption.join(', ')}; integrity ${t.ike.integrity.join(', ')}; DH groups ${t.ike.dhGroups.join(', ')}.`),
    ...proposals('proposals', ikeProposals),
    c(`Phase 1 lifetime ${t.ike.lifetimeSeconds}s, rekey margin ${ike.margin}s, fuzz ${t.ike.rekeyFuzzPercent}%.`),
    // IKEv1 cannot rekey an ISAKMP SA, it reauthenticates instead.
    kv(version === 'v1' ? 'reauth_time' : 'rekey_time', `${ike.rekey}s`),
    kv('over_time', `${ike.margin}s`),
    kv('rand_time', `${ike.rand}s`),
    kv('dpd_delay', `${t.ike.dpd.intervalSeconds}s`),
    ...(version === 'v1' ? [kv('dpd_timeout', `${t.ike.dpd.timeoutSeconds}s`)] : []),
    kv('mobike', 'no'),
    section('local', [kv('auth', 'psk'), kv('id', local.id)]),
    section('remote', [kv('auth', 'psk'), kv('id', remote.id)]),
    section('children', [section(name, children)]),
  ];
  return section(name, entries);
}

function secretSection(input: DeviceConfigInput, t: Tunnel): Entry {
  const gatewayId = tunnelIntent(input.connection, t, input.gateway, input.cgw).local.id;
  return section(`ike-${tunnelName(input.connection, t)}`, [kv('id', gatewayId), kv('secret', `"${pskText(input, t)}"`)]);
}

/** The whole swanctl.conf for every tunnel of the connection. */
export function swanctlConf(input: DeviceConfigInput): string {
  const { connection, cgw } = input;
  const placeholders = connection.tunnels.map(pskPlaceholder).join(', ');
  const header = [
    `swanctl.conf for sitevpn VPN connection ${connection.id}`,
    `Customer gateway ${cgw.id} (${cgw.idValue}); ${connection.tunnels.length} tunnel(s); strongSwan 5.9+ with swanctl.`,
    'Save as /etc/swanctl/conf.d/<name>.conf and load it with: swanctl --load-all',
    '',
    ...(input.psk
      ? ['Each "secret" below is that tunnel\'s pre-shared key: keep this file private (mode 0600).']
      : [
          `PRE-SHARED KEYS ARE NOT INCLUDED: each "secret" below is a placeholder (${placeholders}).`,
          `Replace it with that tunnel's pre-shared key before loading.`,
        ]),
  ];
  const tree: Entry[] = [
    ...header.map((line) => c(line)),
    blank,
    section('connections', connection.tunnels.map((t) => connectionSection(input, t))),
    blank,
    section('secrets', connection.tunnels.map((t) => secretSection(input, t))),
  ];
  return writeConf(tree) + '\n';
}
