// The lab waits for charon by connecting over VICI, not by the socket file: the file exists
// before charon listens on it. Runs without root (a fake VICI server stands in for charon).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FakeViciServer } from '../../src/dataplane/strongswan/vici/fake-server.ts';
import { viciAnswers, waitForVici } from '../support/netns.ts';

const version = () => ({ daemon: 'charon-systemd', version: '5.9.8', sysname: 'Linux', release: 'x', machine: 'x86_64' });

describe('the strongSwan lab waits for a VICI session that answers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sv-vici-wait-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('does not take a socket file nobody listens on for a ready charon', async () => {
    const path = join(dir, 'early.vici');
    writeFileSync(path, '');
    assert.match((await viciAnswers(`unix://${path}`)) ?? 'answered', /ECONNREFUSED/);
    await assert.rejects(
      waitForVici(`unix://${path}`, 50),
      /^Error: no VICI session to unix:\/\/\S+early\.vici within 50 ms after \d+ attempts \(last: .*ECONNREFUSED.*\)$/,
    );
  });

  it('keeps trying until charon listens on the socket file that was there before, then returns', async () => {
    const fake = await FakeViciServer.start({ commands: { version } });
    const path = join(dir, 'late.vici');
    writeFileSync(path, '');
    const waiting = waitForVici(`unix://${path}`, 10_000);
    let settled = false;
    void waiting.finally(() => (settled = true)).catch(() => {});
    // Nothing listens yet: a first attempt must fail (proved by asking the same way ourselves).
    assert.match((await viciAnswers(`unix://${path}`)) ?? 'answered', /ECONNREFUSED/);
    assert.equal(settled, false);
    // charon starts listening: replace the file with a socket that forwards to the fake charon.
    rmSync(path);
    const relay = net.createServer((s) => s.pipe(net.connect(fake.path)).pipe(s));
    await new Promise<void>((resolve) => relay.listen(path, resolve));
    try {
      const attempts = await waiting;
      assert.ok(attempts >= 1);
      assert.ok(fake.commandNames.includes('version'), 'the wait asked the daemon for its version');
    } finally {
      await new Promise<void>((resolve) => relay.close(() => resolve()));
      await fake.close();
    }
  });

  it('stops waiting when the check says the daemon is gone', async () => {
    await assert.rejects(
      waitForVici(`unix://${join(dir, 'none.vici')}`, 10_000, () => {
        throw new Error('charon (gw) exited at start');
      }),
      /^Error: charon \(gw\) exited at start$/,
    );
  });
});
