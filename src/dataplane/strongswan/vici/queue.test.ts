import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ViciClosedError, ViciTimeoutError } from './errors.ts';
import { type JobState, SerialQueue } from './queue.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A promise the test resolves when it chooses. */
function latch(): { promise: Promise<void>; open: () => void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('serial queue', () => {
  it('runs jobs one at a time in the order they were pushed', { timeout: 5_000 }, async () => {
    const q = new SerialQueue(0);
    const trace: string[] = [];
    const job = (name: string, ms: number) => async () => {
      trace.push(`start ${name}`);
      await sleep(ms);
      trace.push(`end ${name}`);
      return name;
    };
    assert.deepEqual(await Promise.all([q.push('a', 0, job('a', 20)), q.push('b', 0, job('b', 1)), q.push('c', 0, job('c', 5))]), [
      'a',
      'b',
      'c',
    ]);
    assert.deepEqual(trace, ['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('rejects a job whose deadline passes in the queue and never runs it', { timeout: 5_000 }, async () => {
    const q = new SerialQueue(0);
    let ran = false;
    // The first job holds the queue until the queued one's deadline has passed (no race with a sleep).
    const held = latch();
    const first = q.push('slow', 0, () => held.promise);
    await assert.rejects(
      q.push('queued', 10, async () => {
        ran = true;
      }),
      (e: unknown) => e instanceof ViciTimeoutError && e.operation === 'queued',
    );
    held.open();
    await first;
    await sleep(5);
    assert.equal(ran, false);
  });

  it('rejects a running job at its deadline but lets it finish before the next starts', { timeout: 5_000 }, async () => {
    const q = new SerialQueue(10);
    const trace: string[] = [];
    let state: JobState | undefined;
    // The slow job runs until the test lets it go, which is after its deadline rejected it.
    const held = latch();
    const slow = q.push('slow', undefined, async (job) => {
      state = job;
      await held.promise;
      trace.push('slow done');
    });
    const next = q.push('next', 0, async () => trace.push('next ran'));
    await assert.rejects(slow, ViciTimeoutError);
    assert.equal(state?.settled, true);
    assert.deepEqual(trace, [], 'the next job waits for the slow one to finish');
    held.open();
    await next;
    assert.deepEqual(trace, ['slow done', 'next ran']);
  });

  it('fails the running and the waiting jobs, and later pushes, with the given error', { timeout: 5_000 }, async () => {
    const q = new SerialQueue(0);
    const running = q.push('running', 0, () => sleep(100));
    const waiting = q.push('waiting', 0, async () => 1);
    const error = new ViciClosedError();
    q.fail(error);
    await assert.rejects(running, (e) => e === error);
    await assert.rejects(waiting, (e) => e === error);
    await assert.rejects(
      q.push('later', 0, async () => 2),
      (e) => e === error,
    );
  });
});
