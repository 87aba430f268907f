// The simulator against strongSwan (issue 11): each case runs once through negotiate() and once
// through sitevpn's strongSwan driver on a real charon, with a customer charon configured from
// the same device profile. The outcome class (up, or down with phase and notify), the negotiated
// values and the traffic selectors must be equal; the customer charon must agree with the
// gateway's. One lab serves every case: conns are swapped between cases.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DataplaneEvent } from '../../src/dataplane/driver.ts';
import { harness } from '../../src/dataplane/simulated/engine/test-support.ts';
import { rekeyWindow } from '../../src/dataplane/simulated/engine/timing.ts';
import { negotiate } from '../../src/dataplane/simulated/negotiation/index.ts';
import { StrongswanDriver } from '../../src/dataplane/strongswan/driver.ts';
import { ViciClient } from '../../src/dataplane/strongswan/vici/commands.ts';
import type { ViciInputSection } from '../../src/dataplane/strongswan/vici/message.ts';
import { systemClock } from '../../src/domain/ports.ts';
import {
  CGW_IP,
  customerConn,
  type DiffCase,
  GW_IP,
  generatedCases,
  intent,
  type Outcome,
  realOutcome,
  simulatedOutcome,
} from '../support/differential.ts';
import { installedSa, Lab, labUnavailable, listSas, skipReason, until } from '../support/netns.ts';

const skip = skipReason(labUnavailable());
const SEED = 0x11d1ff;

const cbc = () => ({ encryption: ['aes128-cbc' as const], integrity: ['sha2-256' as const] });
const esp = (
  pfsGroups: (14 | 19 | 20 | 15)[],
  encryption: ('aes128-cbc' | 'aes256-cbc' | 'aes128-gcm16' | 'aes256-gcm16')[] = ['aes128-cbc'],
) => ({ encryption: [...encryption], integrity: ['sha2-256' as const], pfsGroups });
const ike = (
  dhGroups: (14 | 19 | 20 | 15)[],
  encryption: ('aes128-cbc' | 'aes256-cbc' | 'aes128-gcm16' | 'aes256-gcm16')[] = ['aes256-cbc'],
) => ({ encryption: [...encryption], integrity: ['sha2-256' as const], dhGroups });
const both = (
  initiators: ('gateway' | 'device')[],
  name: string,
  o: Omit<Parameters<typeof intent>[0], 'startupAction'>,
  rekey?: DiffCase['rekey'],
  deviceAfter?: DiffCase['deviceAfter'],
): DiffCase[] =>
  initiators.map((initiator) => ({
    name: `${name} (${initiator} initiates)`,
    initiator,
    rekey,
    deviceAfter,
    intent: intent({ ...o, startupAction: initiator === 'gateway' ? 'start' : 'add' }),
  }));
const GD = ['gateway', 'device'] as ('gateway' | 'device')[];

/** Hand-picked cases, one or more per item of issue 11. */
function pickedCases(): DiffCase[] {
  return [
    ...both(GD, 'responder picks by its own IKE order', {
      ike: ike([14], ['aes128-cbc', 'aes256-cbc']),
      device: { ikeProposals: [ike([14], ['aes256-cbc', 'aes128-cbc'])] },
    }),
    ...both(GD, 'responder picks by its own ESP order, AES-GCM listed first', {
      esp: esp([], ['aes128-gcm16', 'aes128-cbc']),
      device: { espProposals: [esp([], ['aes128-cbc', 'aes128-gcm16'])] },
    }),
    ...both(GD, 'AES-GCM in both phases', {
      ike: { encryption: ['aes256-gcm16'], integrity: ['sha2-384'], dhGroups: [20] },
      esp: esp([19], ['aes256-gcm16']),
      device: {
        ikeProposals: [{ encryption: ['aes256-gcm16'], integrity: ['sha2-384'], dhGroups: [20] }],
        espProposals: [esp([19], ['aes256-gcm16'])],
      },
    }),
    ...both(GD, "INVALID_KE in IKE_SA_INIT for the responder's preferred group", {
      ike: ike([14, 19]),
      device: { ikeProposals: [ike([19, 14])] },
    }),
    ...both(['gateway'], 'INVALID_KE in CREATE_CHILD_SA (childless gateway)', {
      esp: esp([14, 19]),
      device: { espProposals: [esp([19, 14])] },
    }),
    ...both(GD, 'PFS on the gateway only', { esp: esp([14]), device: { espProposals: [esp([])] } }),
    ...both(GD, 'PFS on the device only', { esp: esp([]), device: { espProposals: [esp([14])] } }),
    ...both(
      ['device'],
      'PFS groups differ, shown at the first CHILD_SA rekey, which keeps the old CHILD_SA',
      { esp: esp([14]), device: { espProposals: [esp([15])] } },
      'child',
    ),
    ...both(['device'], 'INVALID_KE at the CHILD_SA rekey', { esp: esp([14, 19]), device: { espProposals: [esp([19, 14])] } }, 'child'),
    ...both(
      ['device'],
      'ESP proposals disjoint at the CHILD_SA rekey only (PFS), the old CHILD_SA kept',
      { esp: esp([19]), device: { espProposals: [esp([20])] } },
      'child',
    ),
    ...both(
      ['device'],
      'PFS groups differ: the kept CHILD_SA expires and the tunnel goes DOWN (10 s ESP lifetime)',
      { esp: esp([14]), device: { espProposals: [esp([15])] }, espLifetime: 10 },
      'expire',
    ),
    ...both(GD, 'an IKEv2 IKE rekey moves the CHILD_SA unchanged', { esp: esp([14]) }, 'ike'),
    ...both(
      ['device'],
      'an IKEv2 IKE rekey keeps a CHILD_SA made in IKE_AUTH (no PFS group)',
      { ike: ike([19, 14]), device: { ikeProposals: [ike([14, 19])] } },
      'ike',
    ),
    ...both(GD, 'an IKEv1 reauthentication adopts the CHILD_SA unchanged', { versions: ['v1'], esp: esp([14]) }, 'ike'),
    ...both(
      GD,
      'an IKEv1 reauthentication refused (the device changed its IKE proposals) takes the CHILD_SA with it: DOWN at once',
      { versions: ['v1'], esp: esp([14]) },
      'ike',
      { ikeProposals: [ike([19], ['aes128-cbc'])] },
    ),
    ...both(GD, 'disjoint IKE proposals', { device: { ikeProposals: [ike([21 as 14])] } }),
    ...both(GD, 'disjoint ESP proposals', {
      device: { espProposals: [{ ...esp([14]), encryption: ['aes256-cbc'], integrity: ['sha2-512'] }] },
    }),
    ...both(GD, 'IKEv1 only', { versions: ['v1'], esp: esp([14]) }),
    ...both(GD, 'gateway allows IKEv1 and IKEv2, device IKEv1 only', { versions: ['v1', 'v2'], device: { ikeVersions: ['v1'] } }),
    ...both(GD, 'gateway IKEv1 and IKEv2, device both', { versions: ['v1', 'v2'] }),
    ...both(GD, 'gateway IKEv1 only, device IKEv2 only', { versions: ['v1'], device: { ikeVersions: ['v2'] } }),
    ...both(GD, 'IKEv1 disjoint phase 1', { versions: ['v1'], device: { ikeProposals: [ike([15])] } }),
    ...both(GD, 'IKEv1 disjoint quick mode', { versions: ['v1'], device: { espProposals: [{ ...esp([]), encryption: ['aes256-cbc'] }] } }),
    ...both(GD, 'IKEv1 quick-mode PFS uses the IKE SA group', {
      versions: ['v1'],
      ike: ike([19]),
      esp: esp([14, 19]),
      device: { ikeProposals: [ike([19])], espProposals: [esp([19, 14])] },
    }),
    ...both(GD, 'IKEv1 wrong PSK', { versions: ['v1'], device: { psk: 'Wrong.key-v1' } }),
    ...both(GD, 'IKEv2 wrong PSK', { device: { psk: 'Wrong.key-v2' } }),
    ...both(GD, 'identity mismatch: the device expects another gateway id', { device: { gatewayId: '192.0.2.99' } }),
    ...both(GD, 'narrowed selectors: the device protects a /25', { device: { subnets: ['10.20.0.0/25'] } }),
    ...both(GD, 'narrowed selectors: the device offers a /16', { device: { subnets: ['10.20.0.0/16'] } }),
    ...both(GD, 'disjoint selectors', { device: { subnets: ['10.30.0.0/24'] } }),
    ...both(GD, 'IKEv1 narrowed selectors', { versions: ['v1'], device: { subnets: ['10.20.0.0/25'] } }),
    ...both(GD, 'IKEv1 disjoint selectors', { versions: ['v1'], device: { subnets: ['10.30.0.0/24'] } }),
    ...both(GD, 'static (route-based) tunnel with narrowed CIDRs', { style: 'static', device: { subnets: ['10.20.0.0/24'] } }),
    ...both(GD, 'static tunnel whose CIDRs the device does not share', { style: 'static', device: { subnets: ['10.40.0.0/24'] } }),
    ...both(GD, "route-based 0.0.0.0/0 gateway narrowed to the device's site subnet (the libipsec sample advice)", {
      style: 'static',
      local: ['0.0.0.0/0'],
      remote: ['0.0.0.0/0'],
      device: { subnets: ['10.20.0.0/24'] },
    }),
    ...both(GD, 'plain CBC without PFS', { esp: { ...cbc(), pfsGroups: [] }, device: { espProposals: [{ ...cbc(), pfsGroups: [] }] } }),
  ];
}

describe('the simulator fails exactly where strongSwan fails (differential)', { skip }, () => {
  let lab: Lab;
  let driver: StrongswanDriver;
  let cust: ViciClient;
  let gwClient: ViciClient;
  const events: DataplaneEvent[] = [];
  let current: string | null = null;

  before(async () => {
    lab = await Lab.create({ gatewayIps: [GW_IP], customerIps: [CGW_IP], gatewaySite: '10.10.0.1', customerSite: '10.20.0.1' });
    driver = new StrongswanDriver(systemClock, {
      viciUri: lab.gw.viciUri,
      settleMs: 30,
      retryMs: 600_000,
      firstRetryMs: 600_000,
      gcDelayMs: 600_000,
    });
    await driver.start((e) => {
      if (e.tunnelId === current) events.push(e);
    });
    cust = await ViciClient.connect(lab.cgw.viciUri);
    gwClient = await ViciClient.connect(lab.gw.viciUri);
  });

  after(async () => {
    await cust?.close().catch(() => {});
    await gwClient?.close().catch(() => {});
    await driver?.stop().catch(() => {});
    await lab?.destroy();
  });

  /** Both charons back to nothing: no conns of the last case, no SAs. */
  async function clean(): Promise<void> {
    if (current) driver.remove(current);
    current = null;
    for (const c of [cust, gwClient]) {
      for (const sa of (await c.listSas({ noblock: true })).flatMap((m) => [...m.values()])) {
        const id = Number((sa as Map<string, unknown>).get('uniqueid'));
        await c.terminate({ 'ike-id': id, force: true, timeout: 1000 }).catch(() => {});
      }
    }
    await cust.unloadConn('c').catch(() => {});
    await until(
      async () => (await gwClient.getConns()).length === 0 && (await listSas(lab.gw.viciUri)).length === 0,
      30_000,
      'gateway charon empty',
      20,
    );
  }

  /** What sitevpn's strongSwan data plane reports for the case. */
  async function real(c: DiffCase): Promise<Outcome> {
    events.length = 0;
    let initiated: Promise<string> = Promise.resolve('the gateway initiates');
    const { section, secret } = customerConn(c.intent);
    await cust.loadShared(secret);
    await cust.loadConn('c', section as unknown as ViciInputSection);
    current = c.intent.tunnelId;
    driver.apply(c.intent);
    if (c.initiator === 'device') {
      await until(async () => (await gwClient.getConns()).includes(c.intent.tunnelId), 30_000, 'gateway conn loaded', 10);
      // What the customer's initiate answered goes into a 'none' outcome, so that a case that never
      // reaches the gateway says why.
      initiated = cust.initiate({ child: 'c', ike: 'c', timeout: 20_000 }).then(
        (r) => (r.success ? 'initiate succeeded' : `initiate failed: ${r.errmsg}`),
        (err) => `initiate threw: ${err}`,
      );
    }
    try {
      return await until(async () => events.map(realOutcome).find((o) => o !== null) ?? null, 30_000, `an outcome for ${c.name}`, 20);
    } catch {
      const customer = await Promise.race([initiated, new Promise<string>((r) => setTimeout(() => r('initiate still running'), 100))]);
      return {
        cls: 'none',
        reason: `${events.map((e) => e.observation.statusMessage).join(' | ') || 'no event'} (customer: ${customer}; customer log tail: ${lab.cgw.logText().split('\n').slice(-8).join(' / ')})`,
      };
    }
  }

  async function check(c: DiffCase): Promise<void> {
    await clean();
    const sim = simulatedOutcome(negotiate(c.intent, { initiator: c.initiator }));
    const got = await real(c);
    const detail = `\n  simulator: ${sim.cls} ${sim.reason ?? ''}\n  strongSwan: ${got.cls} ${got.reason ?? ''}`;
    if (process.env.SV_DEBUG) process.stderr.write(`DIFF ${c.name}: ${got.cls}${detail}\n`);
    // charon's gateway sometimes logs only "failed to establish CHILD_SA, keeping IKE_SA" before the
    // line naming the cause reaches the log stream; the driver then says NO_PROPOSAL_CHOSEN without
    // knowing. Such an uncaused phase-2 failure is compared by phase only (a known gap, issue 11).
    const uncaused = got.cls === 'down 2 NO_PROPOSAL_CHOSEN' && /failed to establish CHILD_SA, keeping IKE_SA$/.test(got.reason ?? '');
    if (uncaused && sim.cls.startsWith('down 2 ')) return;
    assert.equal(got.cls, sim.cls, `outcome class${detail}`);
    if (sim.cls !== 'up') return;
    assert.deepEqual(got.params, sim.params, `negotiated values${detail}`);
    assert.deepEqual(got.selectors, sim.selectors, 'traffic selectors');
    const gw = await installedSa(lab.gw.viciUri, { local: GW_IP, remote: CGW_IP });
    const cgw = await until(() => installedSa(lab.cgw.viciUri, { local: CGW_IP, remote: GW_IP }), 30_000, 'customer SA');
    assert.ok(gw, 'the gateway charon lists the SA pair');
    assert.deepEqual(cgw.fields, gw.fields, 'both charons agree');
    assert.deepEqual([cgw.child['local-ts'], cgw.child['remote-ts']], [gw.child['remote-ts'], gw.child['local-ts']], 'selectors mirrored');
    if (c.rekey) await checkRekey(c);
  }

  /**
   * A rekey forced over VICI on the gateway charon, against the simulated engine driven to the same
   * rekey on a ManualClock: the same event kind, status, reason class, negotiated values and
   * selectors; and charon's list-sas shows what an IKE rekey keeps (the CHILD_SA and its SPIs).
   */
  async function checkRekey(c: DiffCase): Promise<void> {
    const sim = simulatedRekey(c);
    const from = events.length;
    const before = (await listSas(lab.gw.viciUri))[0];
    const child = before.children[0];
    if (c.rekey === 'expire') return checkExpiry(c);
    if (c.deviceAfter) {
      // The customer's new conn applies to the next IKE_SA it negotiates, not to the one up now.
      const { section } = customerConn(changedDevice(c));
      await cust.loadConn('c', section as unknown as ViciInputSection);
    }
    if (c.rekey === 'ike')
      await gwClient.rekey(
        c.intent.config.ike.versions.includes('v2') ? { ike: c.intent.tunnelId } : { ike: c.intent.tunnelId, reauth: true },
      );
    else await gwClient.rekey({ child: child.name as string });
    const got = await until(
      async () => events.slice(from).find((e) => e.observation.ikeStatus === 'UP' || e.observation.provisioning === 'failed'),
      30_000,
      `the ${c.rekey} rekey of ${c.name}`,
      20,
    );
    const view = (e: DataplaneEvent) => {
      const o = e.observation;
      const m = /^CHILD_SA rekey failed \((phase \d \w+):.*\); the current CHILD_SA stays installed until it expires$/.exec(
        o.statusMessage,
      );
      return {
        kind: e.kind,
        ikeStatus: o.ikeStatus,
        provisioning: o.provisioning,
        reason: m ? `kept: ${m[1]}` : (/^phase \d \w+/.exec(o.statusMessage)?.[0] ?? o.statusMessage),
        negotiated: o.negotiated,
        selectors: o.selectors,
      };
    };
    assert.deepEqual(view(got), view(sim), `${c.rekey} rekey\n  simulator: ${sim.detail}\n  strongSwan: ${got.detail}`);
    if (sim.observation.ikeStatus === 'DOWN') {
      // Nothing is left installed: charon lists no CHILD_SA for the pair.
      assert.equal(await installedSa(lab.gw.viciUri, { local: GW_IP, remote: CGW_IP }), null);
      return;
    }
    const after = await until(() => installedSa(lab.gw.viciUri, { local: GW_IP, remote: CGW_IP }), 30_000, 'the SA pair after the rekey');
    if (c.rekey === 'ike' || sim.kind === 'rekey-failed') {
      // charon moved (or kept) the very CHILD_SA: same unique id, same SPIs, same values.
      assert.deepEqual(
        [after.child.uniqueid, after.child['spi-in'], after.child['spi-out']],
        [child.uniqueid, child['spi-in'], child['spi-out']],
      );
      assert.equal(after.ike.uniqueid !== before.uniqueid, c.rekey === 'ike', 'a new IKE_SA only for an IKE rekey');
    }
  }

  /**
   * A CHILD_SA whose rekeys are refused, left to charon's own timers (a 10 s ESP lifetime): kept UP
   * with the reason at the first refused rekey, DOWN with the reason at its hard lifetime.
   */
  async function checkExpiry(c: DiffCase): Promise<void> {
    const h = harness();
    h.driver.apply(c.intent);
    h.advanceTo(c.intent.config.ipsec.lifetimeSeconds * 1000 + 1000);
    const view = (e: DataplaneEvent) =>
      `${e.kind} ${e.observation.provisioning} ${e.observation.ikeStatus} ${/phase \d \w+/.exec(e.observation.statusMessage)?.[0] ?? ''}`;
    // The gateway's "waiting for the peer" before the device initiates is not part of the story.
    const story = (es: DataplaneEvent[]) => es.filter((e) => e.kind !== 'waiting-for-peer').map(view);
    const sim = story(h.events);
    const wanted = sim.length;
    const got = await until(
      async () => (story(events).length >= wanted ? story(events).slice(0, wanted) : null),
      30_000,
      `${wanted} events from charon's own timers`,
      100,
    );
    assert.deepEqual(
      got,
      sim,
      `simulator: ${h.events.map((e) => e.detail).join(' | ')}\nstrongSwan: ${events.map((e) => e.detail).join(' | ')}`,
    );
  }

  it("says charon could not send when the outside IP is not an address of charon's host", async () => {
    await clean();
    const c = intent({ startupAction: 'start' });
    c.local = { ...c.local, address: '192.0.2.77', id: '192.0.2.77' };
    c.config.outsideIp = '192.0.2.77';
    const got = await real({ name: 'outside IP not on the host', intent: c, initiator: 'gateway' });
    assert.equal(got.cls, 'down timeout');
    assert.match(
      got.reason!,
      /^peer did not respond: no response from peer 198\.51\.100\.11 after \d+ retransmits; charon could not send \(error writing to socket: Network is unreachable\): is 192\.0\.2\.77 an address of the host charon runs on\?$/,
    );
  });

  for (const c of pickedCases()) it(`agrees on: ${c.name}`, () => check(c));
  for (const c of generatedCases(SEED, 50)) it(`agrees on ${c.name}`, () => check(c));
});

/** The case's intent with the device profile it has once up (deviceAfter). */
function changedDevice(c: DiffCase): DiffCase['intent'] {
  return { ...c.intent, device: { ...c.intent.device!, ...c.deviceAfter } as DiffCase['intent']['device'] };
}

/** What the simulated engine reports at the case's rekey (IKE: a force-rekey fault; CHILD: its window). */
function simulatedRekey(c: DiffCase): DataplaneEvent {
  const h = harness();
  h.driver.apply(c.intent);
  h.advanceTo(1000);
  if (h.events.at(-1)?.observation.ikeStatus !== 'UP')
    assert.fail(`the simulator did not come up: ${h.events.at(-1)?.observation.statusMessage}`);
  const n = h.events.length;
  if (c.deviceAfter) h.driver.apply(changedDevice(c));
  if (c.rekey === 'ike') h.driver.injectFault(c.intent.tunnelId, { kind: 'force-rekey' });
  else h.advanceTo(rekeyWindow(c.intent.config.ipsec.lifetimeSeconds, c.intent.config.ike.rekeyMarginSeconds, 100).latestMs + 1000);
  const e = h.events[n];
  if (!e) assert.fail('the simulator reported nothing at the rekey');
  return e;
}
