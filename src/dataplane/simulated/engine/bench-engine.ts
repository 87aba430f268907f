// The engine's two figures for `npm run bench`: how many tunnels per second the pure negotiate()
// core settles (varied intents, both IKE versions, successes and each kind of failure), and how
// many heap bytes a tunnel costs when 10,000 of them are up on one SimulatedDriver.
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { DhGroup, Encryption, IkeVersion } from '../../../domain/algorithms.ts';
import type { DeviceProfile } from '../../../domain/entities.ts';
import { ManualClock } from '../../../domain/manual-clock.ts';
import type { TunnelIntent } from '../../driver.ts';
import { negotiate, type Role } from '../negotiation/index.ts';
import { SimulatedDriver } from './simulated-driver.ts';

const NEGOTIATIONS = 20_000;
const TUNNELS = 10_000;

const CIPHERS: Encryption[][] = [['aes256-cbc'], ['aes128-cbc', 'aes256-cbc'], ['aes256-gcm16', 'aes256-cbc'], ['aes128-gcm16']];
const GROUPS: DhGroup[][] = [[14], [19, 14], [20, 19], [15, 14, 5]];
const VERSIONS: IkeVersion[][] = [['v2'], ['v1'], ['v2', 'v1']];

/**
 * The i-th of a family of intents: different algorithms, versions, styles and device behaviours;
 * `healthy` keeps to devices that come up (no profile, a matching or a narrower one).
 */
export function benchIntent(i: number, tunnelId = `tun-${i}`, healthy = false): TunnelIntent {
  const encryption = CIPHERS[i % CIPHERS.length];
  const dhGroups = GROUPS[(i >> 2) % GROUPS.length];
  const versions = healthy ? VERSIONS[2 * ((i >> 4) % 2)] : VERSIONS[(i >> 4) % VERSIONS.length];
  const octet = i % 250;
  const device = deviceFor(healthy ? (i >> 6) % 3 : Math.floor(i / 5) % 16, versions, encryption, dhGroups);
  return {
    tunnelId,
    connectionId: `vpn-${i >> 1}`,
    tenantId: 'tenant-1',
    generation: 1,
    style: i % 3 === 0 ? 'static' : 'policy',
    config: {
      outsideIpId: `eip-${i % 2}`,
      outsideIp: `192.0.2.${1 + (i % 2)}`,
      psk: `key-${i}`,
      ike: {
        versions,
        phase1Mode: 'main',
        encryption,
        integrity: ['sha2-256', 'sha1'],
        dhGroups,
        authMethod: 'pre-share',
        lifetimeSeconds: 28800,
        rekeyMarginSeconds: 270,
        rekeyFuzzPercent: 100,
        localIdType: 'ip',
        peerIdType: 'ip',
        dpd: { timeoutSeconds: 40, intervalSeconds: 10, msg: 'seq-hash-notify', action: 'restart' },
      },
      ipsec: {
        encryption,
        integrity: ['sha2-256'],
        pfsGroups: dhGroups,
        lifetimeSeconds: 3600,
        transformProtocol: 'esp',
        encapsulationMode: 'tunnel',
        replayWindowSize: 1024,
      },
      startupAction: 'start',
    },
    local: { address: `192.0.2.${1 + (i % 2)}`, id: `192.0.2.${1 + (i % 2)}`, subnets: [`10.${octet}.0.0/16`] },
    remote: { address: `203.0.113.${1 + octet}`, id: `203.0.113.${1 + octet}`, subnets: [`172.16.${octet}.0/24`] },
    policyRules: [],
    ...(device ? { device: { ...device, psk: !healthy && i % 9 === 8 ? 'wrong' : `key-${i}` } } : {}),
  };
}

/**
 * Kinds 0, 4, 8, 12: no profile; 2, 6, 10, 14: a narrower profile (INVALID_KE round trips); 3, 7,
 * 11: IKEv1 only; 13: does not initiate; 15: unreachable; the rest match the gateway.
 */
function deviceFor(kind: number, versions: IkeVersion[], encryption: Encryption[], dhGroups: DhGroup[]): DeviceProfile | undefined {
  if (kind % 4 === 0) return undefined;
  const last = <T>(xs: T[]): T[] => [xs[xs.length - 1]];
  const narrow = kind % 4 === 2;
  return {
    ikeVersions: kind % 4 === 3 && kind !== 15 ? ['v1'] : versions,
    ikeProposals: [
      { encryption: narrow ? last(encryption) : encryption, integrity: ['sha2-256'], dhGroups: narrow ? last(dhGroups) : dhGroups },
    ],
    espProposals: [
      { encryption: narrow ? last(encryption) : encryption, integrity: ['sha2-256'], pfsGroups: narrow ? last(dhGroups) : dhGroups },
    ],
    initiates: kind % 16 !== 13,
    reachable: kind % 16 !== 15,
  };
}

function negotiationThroughput(): string {
  const intents = Array.from({ length: 512 }, (_, i) => benchIntent(i));
  const roles: Role[] = ['gateway', 'device'];
  for (let i = 0; i < 4000; i++) negotiate(intents[i % intents.length], { initiator: roles[i & 1] });
  const outcomes = new Map<string, number>();
  const t0 = performance.now();
  for (let i = 0; i < NEGOTIATIONS; i++) {
    const o = negotiate(intents[i % intents.length], { initiator: roles[(i >> 9) & 1] });
    const key = o.ok ? 'success' : o.notify;
    outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
  }
  const ms = performance.now() - t0;
  const mix = [...outcomes]
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  return [
    `| negotiate() over ${intents.length} varied intents | ${NEGOTIATIONS.toLocaleString('en')} | ${ms.toFixed(0)} ms | **${Math.round((NEGOTIATIONS / ms) * 1000).toLocaleString('en')} tunnels/s** (${((ms * 1000) / NEGOTIATIONS).toFixed(1)} µs each) |`,
    '',
    `Outcomes: ${mix}.`,
  ].join('\n');
}

/** global.gc under --expose-gc; otherwise the flag is switched on at run time, which V8 allows. */
function collector(): { gc: () => void; how: string } {
  const own = (globalThis as { gc?: () => void }).gc;
  if (own) return { gc: own, how: 'global.gc (--expose-gc)' };
  try {
    setFlagsFromString('--expose-gc');
    return { gc: runInNewContext('gc') as () => void, how: 'gc exposed at run time (v8.setFlagsFromString)' };
  } catch {
    return { gc: () => {}, how: 'no gc available: figures include garbage, run node with --expose-gc' };
  }
}

function heapAfter(gc: () => void): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

function memoryPerTunnel(): string {
  const { gc, how } = collector();
  const before = heapAfter(gc);
  let intents: TunnelIntent[] | null = Array.from({ length: TUNNELS }, (_, i) => benchIntent(i, `tun-${i}`, true));
  const withIntents = heapAfter(gc);
  const clock = new ManualClock();
  const driver = new SimulatedDriver(clock, { negotiationDelayMs: 20, seed: 1 });
  const kinds = new Map<string, number>();
  void driver.start((e) => kinds.set(e.kind, (kinds.get(e.kind) ?? 0) + 1));
  const t0 = performance.now();
  for (const intent of intents) driver.apply(intent);
  clock.advance(20);
  const upMs = performance.now() - t0;
  const withDriver = heapAfter(gc);
  intents = null;
  const driverOnly = heapAfter(gc);
  const per = (bytes: number) => `${Math.round(bytes / TUNNELS).toLocaleString('en')} B`;
  const mix = [...kinds].map(([k, n]) => `${k} ${n}`).join(', ');
  const result = [
    `| ${TUNNELS.toLocaleString('en')} tunnels on one SimulatedDriver (ManualClock) | intents alone | engine state | total held |`,
    '|---|---|---|---|',
    `| heap per tunnel | ${per(withIntents - before)} | ${per(withDriver - withIntents)} | ${per(driverOnly - before)} |`,
    '',
    `Engine state = tunnel machine, its one clock timer, map entry, shared negotiated parameters (Node ${process.version}; 8-byte pointers unless V8 was built with pointer compression). ` +
      `Bringing them up took ${upMs.toFixed(0)} ms, cold, ManualClock.advance included (it re-sorts its timer list on every fire, so this part grows with the square of the count): ${mix}; ` +
      `${clock.pending.toLocaleString('en')} timers pending afterwards. Heap measured with ${how}.`,
  ].join('\n');
  void driver.stop();
  return result;
}

export async function engineBenchmark(): Promise<string> {
  const lines = [
    '### Simulated data plane engine',
    '',
    '| what | count | wall time | rate |',
    '|---|---|---|---|',
    negotiationThroughput(),
    '',
    memoryPerTunnel(),
    '',
  ];
  return lines.join('\n');
}
