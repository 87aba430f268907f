import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { DataplaneDriver } from '../dataplane/driver.ts';
import type { DeviceProfile } from '../domain/entities.ts';
import type { DomainError } from '../domain/errors.ts';
import { DiagnosticsService } from './diagnostics.ts';
import { NegotiationService } from './negotiation.ts';
import { type Harness, harness, IKE, IPSEC } from './test-support.ts';

let h: Harness;
afterEach(() => h?.close());

const AES128_ONLY: DeviceProfile = {
  ikeVersions: ['v2'],
  ikeProposals: [{ encryption: ['aes128-cbc'], integrity: ['sha2-256'], dhGroups: [14] }],
  espProposals: [{ encryption: ['aes128-cbc'], integrity: ['sha2-256'], pfsGroups: [14] }],
  initiates: true,
  reachable: true,
};

/** The simulated driver with only the interface every driver has: no dry run, no remarks. */
function bare(inner: DataplaneDriver): DataplaneDriver {
  return {
    name: 'bare',
    validate: (i) => inner.validate(i),
    start: (l) => inner.start(l),
    apply: (i) => inner.apply(i),
    remove: (id) => inner.remove(id),
    stop: () => inner.stop(),
  };
}

describe('NegotiationService.dryRun', () => {
  it("answers with the simulated engine's result and its remarks, storing nothing", async () => {
    h = await harness();
    const connection = await h.connection();
    const run = await new NegotiationService(h.store, h.driver).dryRun(h.ctx('read-only'), connection.id);
    assert.equal(run.deviceProfile, 'none');
    const [t] = run.tunnels;
    assert.equal(t.initiator, 'gateway');
    assert.ok(t.outcome.ok);
    assert.deepEqual(t.outcome.params.phase1, { encryption: 'aes256-cbc', integrity: 'sha2-256', prf: 'sha2-256', dhGroup: 14 });
    assert.deepEqual(t.remarks, { weak: [], drift: [] });
    assert.equal((await h.store.getConnection(h.tenantId, connection.id))!.tunnels[0].observed.provisioning, 'pending');
  });

  it('plays a posted device profile as the device initiator when asked', async () => {
    h = await harness();
    const connection = await h.connection();
    const run = await new NegotiationService(h.store, h.driver).dryRun(h.ctx(), connection.id, {
      device: AES128_ONLY,
      initiator: 'device',
    });
    assert.equal(run.deviceProfile, 'posted');
    const [t] = run.tunnels;
    assert.equal(t.initiator, 'device');
    assert.deepEqual(t.outcome.ok ? [] : [t.outcome.notify, t.outcome.phase], ['NO_PROPOSAL_CHOSEN', 1]);
    assert.equal(t.remarks, undefined);
  });

  it('refuses plainly on a data plane without dry negotiation', async () => {
    h = await harness();
    const connection = await h.connection();
    await assert.rejects(
      new NegotiationService(h.store, bare(h.driver)).dryRun(h.ctx(), connection.id),
      (err: DomainError) => err.code === 'Unsupported' && err.message === 'dry negotiation is not supported by the bare data plane',
    );
  });

  it('checks a posted profile with the domain rules', async () => {
    h = await harness();
    const connection = await h.connection();
    await assert.rejects(
      new NegotiationService(h.store, h.driver).dryRun(h.ctx(), connection.id, { device: { ...AES128_ONLY, ikeProposals: [] } }),
      (err: DomainError) => err.code === 'InvalidParameter' && err.message === 'device profile: at least one IKE proposal is required',
    );
  });
});

describe('DiagnosticsService.diagnose', () => {
  it('has no remarks before anything is negotiated', async () => {
    h = await harness();
    const connection = await h.connection();
    const { tunnels } = await new DiagnosticsService(h.store, h.driver).diagnose(h.ctx(), connection.id);
    assert.deepEqual(
      tunnels.map((t) => t.remarks),
      [{ weak: [], drift: [] }],
    );
  });

  it('makes the data-plane-neutral remarks for a driver that makes none, from the stored observation', async () => {
    h = await harness();
    const connection = await h.connection(7, {
      tunnels: [{ ike: { ...IKE, integrity: ['sha1', 'sha2-256'] }, ipsec: IPSEC, startupAction: 'start', psk: 'Peer.Key-0001' }],
    });
    await h.settle();
    const { tunnels } = await new DiagnosticsService(h.store, bare(h.driver)).diagnose(h.ctx(), connection.id);
    assert.deepEqual(tunnels[0].remarks, {
      weak: ['phase 1 integrity sha1 is weak: SHA-1 is deprecated; prefer sha2-256 or stronger'],
      drift: [],
    });
  });
});
