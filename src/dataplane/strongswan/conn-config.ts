// A TunnelIntent as charon configuration: one VICI load-conn section and one load-shared secret.
//
//   <tunnel id> {                                 the conn is named by the tunnel id
//     version = 2 | 1 | 0                         0 when both are allowed (initiates IKEv2)
//     local_addrs = [outside IP]   remote_addrs = [customer IP | %any]
//     proposals = [...]                           names.ts, from the IKE policy's lists
//     rekey_time (IKEv1: reauth_time) = lifetime - margin, over_time = margin, rand_time = margin * fuzz
//     dpd_delay = interval (dpd_timeout = timeout, IKEv1 only; IKEv2 gives up after charon's
//                 retransmission settings), unique = replace, mobike = no, keyingtries = 1
//     local { auth = psk  id }   remote { auth = psk  id }
//     children { sv-<hash> {                      one child; its name carries the config hash
//       local_ts, remote_ts                       policy: the subnets; static/bgp: the intent's
//                                                 selectors (0.0.0.0/0 unless narrowed) + if_id_in/out
//       esp_proposals = [...]                     with the PFS groups (none: no DH in ESP)
//       rekey_time, life_time, rand_time, replay_window, mode = tunnel
//       dpd_action = clear | restart, start_action = none, close_action = none
//   } } }
//   secret: { id = psk-<tunnel id>, type = IKE, data = psk, owners = [local id, remote id] }
//
// start_action stays `none` whatever the startup action: the driver initiates `start` tunnels
// itself (so it can retry and report), and a reloaded conn then never touches established SAs.
// The hash covers the section and the intent's generation, so a restarted sitevpn can tell an
// unchanged conn (keep its SAs) from a changed one (reload, renegotiate) by reading list-conns.
import { createHash } from 'node:crypto';
import type { IkeVersion } from '../../domain/algorithms.ts';
import type { TunnelIntent } from '../driver.ts';
import { strongswanProposals } from './names.ts';
import type { SharedSecret } from './vici/commands.ts';
import type { ViciInputSection } from './vici/message.ts';

export const CHILD_PREFIX = 'sv-';

export interface ConnConfig {
  /** The conn name: the tunnel id. */
  name: string;
  /** The child name: `sv-` + the first 16 hex digits of the hash. */
  child: string;
  hash: string;
  /** What goes under the conn name in load-conn. */
  section: Record<string, unknown>;
  secret: SharedSecret;
  /** The XFRM interface id of a route-based tunnel. */
  ifId?: number;
}

/**
 * Rekey `margin` before the lifetime ends, earlier by up to `fuzz` % of the margin (charon picks
 * rekey_time - random(0..rand_time)). As in the simulated data plane, the margin is capped at half
 * the lifetime and the fuzz at half of what is left; over_time = margin, so the SA dies at lifetime.
 */
export function rekeyTiming(lifetime: number, marginSeconds: number, fuzzPercent: number): { rekey: number; margin: number; rand: number } {
  const margin = Math.max(1, Math.round(Math.min(Math.max(0, marginSeconds), lifetime / 2)));
  const fuzz = Math.min(100, Math.max(0, fuzzPercent));
  const rand = Math.floor(Math.min((margin * fuzz) / 100, (lifetime - margin) / 2));
  return { rekey: lifetime - margin, margin, rand };
}

/** swanctl `version`: 2 or 1 for one allowed version, 0 (either; initiates IKEv2) for both. */
export function connVersion(versions: IkeVersion[]): '0' | '1' | '2' {
  if (versions.includes('v1') && versions.includes('v2')) return '0';
  return versions[0] === 'v1' ? '1' : '2';
}

/** A stable non-zero 32-bit XFRM interface id per tunnel. */
export function ifIdOf(tunnelId: string): number {
  const n = createHash('sha256').update(tunnelId).digest().readUInt32BE(0) & 0x7fffffff;
  return n === 0 ? 1 : n;
}

export function connConfig(intent: TunnelIntent): ConnConfig {
  const { ike, ipsec } = intent.config;
  const version = connVersion(ike.versions);
  const proposalVersion: IkeVersion = version === '1' ? 'v1' : 'v2';
  const routeBased = intent.style === 'static' || intent.style === 'bgp';
  const ikeTiming = rekeyTiming(ike.lifetimeSeconds, ike.rekeyMarginSeconds, ike.rekeyFuzzPercent);
  const espTiming = rekeyTiming(ipsec.lifetimeSeconds, ike.rekeyMarginSeconds, ike.rekeyFuzzPercent);
  const dpdOff = ike.dpd.action === 'none';
  const ifId = routeBased ? ifIdOf(intent.tunnelId) : undefined;

  const child: Record<string, unknown> = {
    local_ts: intent.local.subnets,
    remote_ts: intent.remote.subnets,
    esp_proposals: strongswanProposals(
      { encryption: ipsec.encryption, integrity: ipsec.integrity, groups: ipsec.pfsGroups },
      proposalVersion,
      'esp',
    ),
    mode: 'tunnel',
    rekey_time: `${espTiming.rekey}s`,
    life_time: `${ipsec.lifetimeSeconds}s`,
    rand_time: `${espTiming.rand}s`,
    replay_window: ipsec.replayWindowSize,
    dpd_action: dpdOff ? 'clear' : ike.dpd.action,
    start_action: 'none',
    close_action: 'none',
  };
  if (ifId !== undefined) Object.assign(child, { if_id_in: ifId, if_id_out: ifId });

  const section: Record<string, unknown> = {
    version,
    local_addrs: [intent.local.address],
    remote_addrs: [intent.remote.address],
    proposals: strongswanProposals({ encryption: ike.encryption, integrity: ike.integrity, groups: ike.dhGroups }, proposalVersion, 'ike'),
    [version === '1' ? 'reauth_time' : 'rekey_time']: `${ikeTiming.rekey}s`,
    over_time: `${ikeTiming.margin}s`,
    rand_time: `${ikeTiming.rand}s`,
    dpd_delay: dpdOff ? '0s' : `${ike.dpd.intervalSeconds}s`,
  };
  if (version !== '2' && !dpdOff) section.dpd_timeout = `${ike.dpd.timeoutSeconds}s`;
  if (version !== '2' && ike.phase1Mode === 'aggressive') section.aggressive = 'yes';
  Object.assign(section, {
    unique: 'replace',
    mobike: 'no',
    keyingtries: 1,
    local: { auth: 'psk', id: intent.local.id },
    remote: { auth: 'psk', id: intent.remote.id },
  });

  const hash = createHash('sha256')
    .update(JSON.stringify({ generation: intent.generation, section, child }))
    .digest('hex')
    .slice(0, 16);
  const childName = `${CHILD_PREFIX}${hash}`;
  section.children = { [childName]: child };
  return {
    name: intent.tunnelId,
    child: childName,
    hash,
    section,
    secret: { id: `psk-${intent.tunnelId}`, type: 'IKE', data: intent.config.psk, owners: [intent.local.id, intent.remote.id] },
    ifId,
  };
}

/** The hash a loaded conn carries in its child's name, or undefined for a conn sitevpn did not make. */
export function hashOfChild(childName: string): string | undefined {
  return childName.startsWith(CHILD_PREFIX) && childName.length === CHILD_PREFIX.length + 16
    ? childName.slice(CHILD_PREFIX.length)
    : undefined;
}

export function asViciSection(c: ConnConfig): ViciInputSection {
  return c.section as ViciInputSection;
}

/** list-conns answers as conn name → the hash its child carries (null: not a sitevpn conn). */
export function loadedHashes(messages: ReadonlyMap<string, unknown>[]): Map<string, string | null> {
  const out = new Map<string, string | null>();
  for (const message of messages) {
    for (const [name, section] of message) {
      if (!(section instanceof Map)) continue;
      const children = section.get('children');
      const first = children instanceof Map ? [...children.keys()][0] : undefined;
      out.set(name, (typeof first === 'string' && hashOfChild(first)) || null);
    }
  }
  return out;
}
