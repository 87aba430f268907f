// The differential check's pieces: one case = a gateway intent + a customer device profile + who
// initiates. The simulator answers with negotiate(); the real answer comes from sitevpn's
// strongSwan driver on one charon and a customer charon configured from the same profile.
//
//   outcome class   "up" | "down <phase> <notify>" | "down timeout" | "none"
//
// A reason may be more specific on one side, never of another class.

import type { DataplaneEvent, TunnelIntent } from '../../src/dataplane/driver.ts';
import { seededRandom } from '../../src/dataplane/simulated/engine/prng.ts';
import type { NegotiationOutcome, SimulatedDeviceProfile } from '../../src/dataplane/simulated/negotiation/index.ts';
import { strongswanProposals } from '../../src/dataplane/strongswan/names.ts';
import type { DhGroup, Encryption, IkeVersion, Integrity } from '../../src/domain/algorithms.ts';
import type { DeviceProfile, NegotiatedParameters } from '../../src/domain/entities.ts';

export const GW_IP = '192.0.2.1';
export const CGW_IP = '198.51.100.11';
export const GW_NET = '10.10.0.0/24';
export const CGW_NET = '10.20.0.0/24';

export interface DiffCase {
  name: string;
  intent: TunnelIntent;
  initiator: 'gateway' | 'device';
  /** Force a CHILD_SA or IKE_SA rekey (VICI `rekey`) once up and compare that too; or let charon's timers expire the CHILD_SA. */
  rekey?: 'child' | 'ike' | 'expire';
  /** The device's profile once the SAs are up, before the rekey (the customer reloads its conn). */
  deviceAfter?: Partial<SimulatedDeviceProfile>;
}

export interface Outcome {
  cls: string;
  params?: NegotiatedParameters;
  selectors?: { local: string[]; remote: string[] };
  reason?: string;
}

export function simulatedOutcome(o: NegotiationOutcome): Outcome {
  if (o.ok) return { cls: 'up', params: o.params, selectors: o.selectors };
  if (o.notify === 'NONE') return { cls: 'none', reason: o.reason };
  if (o.notify === 'TIMEOUT') return { cls: 'down timeout', reason: o.reason };
  return { cls: `down ${o.phase} ${o.notify}`, reason: o.reason };
}

/** The class of a strongSwan driver event, or null while it is not an outcome yet. */
export function realOutcome(e: DataplaneEvent): Outcome | null {
  const o = e.observation;
  if (o.ikeStatus === 'UP') return { cls: 'up', params: o.negotiated, selectors: o.selectors };
  if (e.kind === 'peer-timeout') return { cls: 'down timeout', reason: o.statusMessage };
  const m = /^phase (\d) (\w+):/.exec(o.provisioningReason ?? '');
  if (o.provisioning === 'failed' && m) return { cls: `down ${m[1]} ${m[2]}`, reason: o.provisioningReason };
  return null;
}

// ------------------------------------------------------------------------------ the customer

/** The customer charon's conn for a device profile (what a customer who wrote it by hand loads). */
export function customerConn(intent: TunnelIntent): {
  section: Record<string, unknown>;
  secret: { id: string; type: 'IKE'; data: string; owners: string[] };
} {
  const p = intent.device as SimulatedDeviceProfile;
  const both = p.ikeVersions.includes('v1') && p.ikeVersions.includes('v2');
  const version: IkeVersion = both || p.ikeVersions.includes('v2') ? 'v2' : 'v1';
  const ike = p.ikeProposals.flatMap((x) =>
    strongswanProposals({ encryption: x.encryption, integrity: x.integrity, groups: x.dhGroups }, version, 'ike'),
  );
  const esp = p.espProposals.flatMap((x) =>
    strongswanProposals({ encryption: x.encryption, integrity: x.integrity, groups: x.pfsGroups }, version, 'esp'),
  );
  const localId = p.idValue ?? intent.remote.id;
  const remoteId = p.gatewayId ?? intent.local.id;
  const section: Record<string, unknown> = {
    version: both ? '0' : version === 'v1' ? '1' : '2',
    local_addrs: [CGW_IP],
    remote_addrs: [GW_IP],
    proposals: ike,
    rekey_time: '0s',
    reauth_time: '0s',
    dpd_delay: '0s',
    keyingtries: 1,
    mobike: 'no',
    unique: 'replace',
    local: { auth: 'psk', id: localId },
    remote: { auth: 'psk', id: remoteId },
    children: {
      c: {
        local_ts: p.subnets && p.subnets.length > 0 ? p.subnets : intent.remote.subnets,
        remote_ts: intent.local.subnets,
        esp_proposals: esp,
        rekey_time: '0s',
        life_time: '0s',
        mode: 'tunnel',
        start_action: 'none',
      },
    },
  };
  if (!both && version === 'v1' && p.phase1Mode === 'aggressive') section.aggressive = 'yes';
  return { section, secret: { id: 'cust-psk', type: 'IKE', data: p.psk ?? intent.config.psk, owners: [localId, remoteId] } };
}

// ------------------------------------------------------------------------------ intents

let serial = 0;

export function intent(o: {
  versions?: IkeVersion[];
  ike?: { encryption: Encryption[]; integrity: Integrity[]; dhGroups: DhGroup[] };
  esp?: { encryption: Encryption[]; integrity: Integrity[]; pfsGroups: DhGroup[] };
  device?: Partial<SimulatedDeviceProfile>;
  style?: TunnelIntent['style'];
  local?: string[];
  remote?: string[];
  psk?: string;
  phase1Mode?: 'main' | 'aggressive';
  /** The ESP lifetime in seconds (default 3600). */
  espLifetime?: number;
  startupAction: 'start' | 'add';
}): TunnelIntent {
  serial++;
  const ike = o.ike ?? { encryption: ['aes256-cbc'], integrity: ['sha2-256'], dhGroups: [14] };
  const esp = o.esp ?? { encryption: ['aes128-cbc'], integrity: ['sha2-256'], pfsGroups: [14] };
  const versions = o.versions ?? ['v2'];
  const device: DeviceProfile = {
    ikeVersions: versions,
    ikeProposals: [ike],
    espProposals: [esp],
    initiates: true,
    reachable: true,
    ...o.device,
  } as DeviceProfile;
  return {
    tunnelId: `diff-${String(serial).padStart(3, '0')}`,
    connectionId: 'vpn-diff',
    tenantId: 'tenant-diff',
    generation: 1,
    style: o.style ?? 'policy',
    config: {
      outsideIpId: 'eip-diff',
      outsideIp: GW_IP,
      psk: o.psk ?? 'Diff.shared-key1',
      ike: {
        versions,
        phase1Mode: o.phase1Mode ?? 'main',
        encryption: ike.encryption,
        integrity: ike.integrity,
        dhGroups: ike.dhGroups,
        authMethod: 'pre-share',
        lifetimeSeconds: 28800,
        rekeyMarginSeconds: 540,
        rekeyFuzzPercent: 100,
        localIdType: 'ip',
        peerIdType: 'ip',
        dpd: { timeoutSeconds: 30, intervalSeconds: 10, msg: 'seq-hash-notify', action: 'none' },
      },
      ipsec: {
        encryption: esp.encryption,
        integrity: esp.integrity,
        pfsGroups: esp.pfsGroups,
        lifetimeSeconds: o.espLifetime ?? 3600,
        transformProtocol: 'esp',
        encapsulationMode: 'tunnel',
        replayWindowSize: 1024,
      },
      startupAction: o.startupAction,
    },
    local: { address: GW_IP, id: GW_IP, subnets: o.local ?? [GW_NET] },
    remote: { address: CGW_IP, id: CGW_IP, subnets: o.remote ?? [CGW_NET] },
    policyRules: [],
    device,
  };
}

// ------------------------------------------------------------------------------ generated cases

const CIPHERS: Encryption[] = ['aes128-cbc', 'aes256-cbc', 'aes128-gcm16', 'aes256-gcm16'];
const HASHES: Integrity[] = ['sha2-256', 'sha2-384', 'sha1'];
const GROUPS: DhGroup[] = [14, 19, 20, 15];
const VERSION_SETS: IkeVersion[][] = [['v2'], ['v2'], ['v1'], ['v1', 'v2']];

/** Random cases from a fixed seed: overlapping or not, in varied orders, from either side. */
export function generatedCases(seed: number, n: number): DiffCase[] {
  const rnd = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const some = <T>(xs: readonly T[], max: number): T[] => {
    const shuffled = [...xs].sort(() => rnd() - 0.5);
    return shuffled.slice(0, 1 + Math.floor(rnd() * Math.min(max, xs.length)));
  };
  // IKEv1 has no AEAD ISAKMP SA: keep a CBC cipher in every IKE list.
  const ikeCiphers = () => {
    const c = some(CIPHERS, 2);
    return c.some((x) => x.endsWith('-cbc')) ? c : [...c, pick(['aes128-cbc', 'aes256-cbc'] as Encryption[])];
  };
  const cases: DiffCase[] = [];
  for (let i = 0; i < n; i++) {
    const versions = pick(VERSION_SETS);
    const ike = { encryption: ikeCiphers(), integrity: some(HASHES, 2), dhGroups: some(GROUPS, 2) };
    const esp = { encryption: some(CIPHERS, 2), integrity: some(HASHES, 2), pfsGroups: rnd() < 0.3 ? [] : some(GROUPS, 2) };
    // Mostly overlapping offers in another order (so that who decides shows), sometimes unrelated ones.
    const withOne = <T>(xs: T[], pool: readonly T[]): T[] => [...new Set([...some(pool, 2), pick(xs)])].sort(() => rnd() - 0.5);
    const devIke =
      rnd() < 0.8
        ? {
            encryption: withOne(ike.encryption, CIPHERS).filter((e, _, a) => e.endsWith('-cbc') || a.some((x) => x.endsWith('-cbc'))),
            integrity: withOne(ike.integrity, HASHES),
            dhGroups: withOne(ike.dhGroups, GROUPS),
          }
        : { encryption: ikeCiphers(), integrity: some(HASHES, 2), dhGroups: some(GROUPS, 2) };
    if (!devIke.encryption.some((e) => e.endsWith('-cbc'))) devIke.encryption.push('aes256-cbc');
    const devEsp =
      rnd() < 0.8
        ? {
            encryption: withOne(esp.encryption, CIPHERS),
            integrity: withOne(esp.integrity, HASHES),
            pfsGroups: rnd() < 0.25 ? [] : esp.pfsGroups.length > 0 ? withOne(esp.pfsGroups, GROUPS) : some(GROUPS, 2),
          }
        : { encryption: some(CIPHERS, 2), integrity: some(HASHES, 2), pfsGroups: rnd() < 0.3 ? [] : some(GROUPS, 2) };
    const subnets = pick([undefined, undefined, ['10.20.0.0/25'], ['10.20.0.0/16'], ['10.30.0.0/24']]);
    const initiator = pick(['gateway', 'device'] as const);
    const devVersions = rnd() < 0.75 ? versions : pick(VERSION_SETS);
    const it = intent({
      versions,
      ike,
      esp,
      startupAction: initiator === 'gateway' ? 'start' : 'add',
      device: {
        ikeVersions: devVersions,
        ikeProposals: [devIke],
        espProposals: [devEsp],
        ...(subnets ? { subnets } : {}),
        ...(rnd() < 0.08 ? { psk: 'Wrong.key-99' } : {}),
      },
    });
    cases.push({
      name: `generated #${i + 1} (${initiator} initiates, gw ${versions.join('+')}, device ${devVersions.join('+')})`,
      intent: it,
      initiator,
    });
  }
  return cases;
}
