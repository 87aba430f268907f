// What the simulated data plane reports of a tunnel's path (the connection monitor's view): on
// change only, on its own channel, independent of the IKE status, on a ManualClock.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../../domain/manual-clock.ts';
import type { DataplaneEvent, PathEvent } from '../../driver.ts';
import { SimulatedDriver } from './simulated-driver.ts';
import { DELAY_MS, SEED, tunnel } from './test-support.ts';

function paths() {
  const clock = new ManualClock();
  const start = clock.now();
  const driver = new SimulatedDriver(clock, { negotiationDelayMs: DELAY_MS, seed: SEED });
  const events: DataplaneEvent[] = [];
  const path: PathEvent[] = [];
  void driver.start(
    (e) => events.push(e),
    (p) => path.push(p),
  );
  const lines = () => path.map((p) => `${p.at - start} g${p.generation} ${p.status}: ${p.detail}`);
  return { clock, driver, events, lines };
}

describe('the path of a simulated tunnel', () => {
  it('is DOWN while negotiating and UP once the CHILD_SA is installed', () => {
    const h = paths();
    h.driver.apply(tunnel());
    h.clock.advance(DELAY_MS);
    assert.deepEqual(h.lines(), [
      '0 g1 DOWN: no CHILD_SA is installed: probes through the tunnel are not sent',
      `${DELAY_MS} g1 UP: probes through the tunnel are answered`,
    ]);
  });

  it('goes DOWN and back with path faults while the SAs stay up and no tunnel event is emitted', () => {
    const h = paths();
    const t = tunnel();
    h.driver.apply(t);
    h.clock.advance(DELAY_MS);
    const before = h.events.length;
    h.driver.injectFault(t.tunnelId, { kind: 'path-broken' });
    h.clock.advance(120_000);
    h.driver.injectFault(t.tunnelId, { kind: 'path-restored' });
    assert.equal(h.events.length, before, 'IKE saw nothing: no DPD, no renegotiation');
    assert.deepEqual(h.lines().slice(2), [
      `${DELAY_MS} g1 DOWN: probes through the tunnel are lost while the IKE_SA and CHILD_SA stay up`,
      `${DELAY_MS + 120_000} g1 UP: probes through the tunnel are answered`,
    ]);
  });

  it('goes DOWN at once when the peer stops answering, long before DPD', () => {
    const h = paths();
    const t = tunnel();
    h.driver.apply(t);
    h.clock.advance(DELAY_MS);
    h.driver.injectFault(t.tunnelId, { kind: 'peer-unreachable' });
    assert.equal(h.events.at(-1)?.observation.ikeStatus, 'UP');
    assert.equal(
      h.lines().at(-1),
      `${DELAY_MS} g1 DOWN: probes to 203.0.113.9 through the tunnel are not answered: the peer is unreachable`,
    );
  });

  it('reports afresh for a new generation, even when the status does not change', () => {
    const h = paths();
    h.driver.apply(tunnel());
    h.driver.apply(tunnel({ generation: 2 }));
    assert.deepEqual(
      h.lines().map((l) => l.split(':')[0]),
      ['0 g1 DOWN', '0 g2 DOWN'],
    );
  });
});
