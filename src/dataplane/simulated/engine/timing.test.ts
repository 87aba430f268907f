import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom } from './prng.ts';
import { dpdDelayMs, failureRetryMs, rekeyDelayMs, rekeyWindow, retransmitWindowMs, TIMEOUT_RETRY_MS } from './timing.ts';

describe('timing', () => {
  it('puts the rekey window at [lifetime − 2 × margin, lifetime − margin] with 100 % fuzz (AWS defaults)', () => {
    assert.deepEqual(rekeyWindow(28800, 270, 100), { earliestMs: 28_260_000, latestMs: 28_530_000 });
  });

  it('scales the fuzz with the fuzz percentage', () => {
    assert.deepEqual(rekeyWindow(3600, 540, 50), { earliestMs: 2_790_000, latestMs: 3_060_000 });
    assert.deepEqual(rekeyWindow(3600, 540, 0), { earliestMs: 3_060_000, latestMs: 3_060_000 });
  });

  it('caps a margin larger than half the lifetime, and the fuzz, so the rekey stays after a quarter of it', () => {
    assert.deepEqual(rekeyWindow(600, 540, 100), { earliestMs: 150_000, latestMs: 300_000 });
    assert.deepEqual(rekeyWindow(600, 5400, 1000), { earliestMs: 150_000, latestMs: 300_000 });
  });

  it('draws the rekey delay from the latest end down to the earliest', () => {
    const w = { earliestMs: 1000, latestMs: 2000 };
    assert.equal(
      rekeyDelayMs(w, () => 0),
      2000,
    );
    assert.equal(
      rekeyDelayMs(w, () => 0.999_999_9),
      1000,
    );
    assert.equal(
      rekeyDelayMs(w, () => 0.5),
      1500,
    );
  });

  it('declares a silent peer dead after interval + timeout', () => {
    assert.equal(dpdDelayMs({ intervalSeconds: 30, timeoutSeconds: 15, msg: 'seq-hash-notify', action: 'clear' }), 45_000);
    assert.equal(dpdDelayMs({ intervalSeconds: 10, timeoutSeconds: 40, msg: 'seq-hash-notify', action: 'restart' }), 50_000);
  });

  it('retries first after 10 s, then backs off 30 s, doubling, to at most 10 minutes after a failure', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 7, 8, 100].map(failureRetryMs),
      [10_000, 30_000, 60_000, 120_000, 240_000, 480_000, 600_000, 600_000, 600_000],
    );
  });

  it('retries a silent peer every charon retransmit window (4 s × 1.8^k for k = 0..5)', () => {
    assert.equal(retransmitWindowMs(5), 4000 + 7200 + 12_960 + 23_328 + 41_990 + 75_583);
    assert.equal(TIMEOUT_RETRY_MS, 165_061);
    assert.equal(retransmitWindowMs(0), 4000);
  });
});

describe('seededRandom', () => {
  it('gives the same sequence for the same seed, in [0, 1)', () => {
    const a = seededRandom(9);
    const b = seededRandom(9);
    const xs = Array.from({ length: 1000 }, () => a());
    assert.deepEqual(
      Array.from({ length: 1000 }, () => b()),
      xs,
    );
    assert.ok(xs.every((x) => x >= 0 && x < 1));
  });

  it('gives another sequence for another seed, spread over the interval', () => {
    const xs = Array.from({ length: 1000 }, seededRandom(1));
    assert.notDeepEqual(Array.from({ length: 1000 }, seededRandom(2)), xs);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    assert.ok(mean > 0.45 && mean < 0.55, String(mean));
  });
});
