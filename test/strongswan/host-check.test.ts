// Item 8 of issue 11: where charon shares sitevpn's network namespace (VICI over a unix socket
// listed in our /proc/net/unix), an outside IP that is not an address of the host fails at once
// with that reason. A driver run inside the gateway's namespace sees it; this process, outside
// that namespace, cannot tell and checks nothing.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { charonHostAddresses, listsUnixSocket, outsideIpProblem } from '../../src/dataplane/strongswan/host-check.ts';
import { ViciClient } from '../../src/dataplane/strongswan/vici/commands.ts';
import { CGW_IP, GW_IP } from '../support/differential.ts';
import { Lab, labUnavailable, skipReason } from '../support/netns.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const PROC_NET_UNIX = `Num       RefCount Protocol Flags    Type St Inode Path
0000000000000000: 00000002 00000000 00010000 0001 01 41807 /run/charon.vici
0000000000000000: 00000003 00000000 00000000 0001 03 41810
0000000000000000: 00000003 00000000 00000000 0001 03 41811 /run/remote.vici
`;

describe('outside IP against the host charon runs on: the pieces', () => {
  it('finds a listening unix socket by its path in /proc/net/unix, not the server end of our own connection', () => {
    assert.equal(listsUnixSocket(PROC_NET_UNIX, '/run/charon.vici'), true);
    assert.equal(listsUnixSocket(PROC_NET_UNIX, '/run/other.vici'), false);
    assert.equal(listsUnixSocket(PROC_NET_UNIX, '/run/remote.vici'), false);
  });

  it('cannot tell over TCP, without /proc, or when the socket is in another network namespace', () => {
    assert.equal(charonHostAddresses('tcp://127.0.0.1:4502'), null);
    assert.equal(
      charonHostAddresses('unix:///run/charon.vici', () => {
        throw new Error('ENOENT');
      }),
      null,
    );
    assert.equal(
      charonHostAddresses('unix:///run/other.vici', () => PROC_NET_UNIX),
      null,
    );
    assert.ok(charonHostAddresses('unix:///run/charon.vici', () => PROC_NET_UNIX)?.includes('127.0.0.1'));
  });

  it('names the outside IP, the host addresses and the fix, and says nothing when it cannot tell or the IP is there', () => {
    assert.equal(
      outsideIpProblem('192.0.2.77', ['127.0.0.1', '192.0.2.1']),
      "outside IP 192.0.2.77 is not an address of the host charon runs on (charon shares sitevpn's network namespace, whose addresses are 127.0.0.1, 192.0.2.1): charon cannot send from it; add it to the host or take outside IPs (SITEVPN_OUTSIDE_IP_POOL) from the host's addresses",
    );
    assert.equal(outsideIpProblem('192.0.2.1', ['127.0.0.1', '192.0.2.1']), null);
    assert.equal(outsideIpProblem('192.0.2.77', null), null);
  });
});

describe('outside IP against the host charon runs on: a real charon', { skip: skipReason(labUnavailable()) }, () => {
  let lab: Lab;
  before(async () => {
    lab = await Lab.create({ gatewayIps: [GW_IP], customerIps: [CGW_IP] });
  });
  after(async () => {
    await lab?.destroy();
  });

  it('cannot tell from outside charon’s network namespace, so checks nothing there, even while connected to it', async () => {
    assert.equal(charonHostAddresses(lab.gw.viciUri), null);
    const client = await ViciClient.connect(lab.gw.viciUri);
    try {
      assert.equal(charonHostAddresses(lab.gw.viciUri), null);
    } finally {
      await client.close();
    }
  });

  it('fails a tunnel whose outside IP the namespace lacks at once, and lets one whose IP it has wait for its peer, when the driver shares charon’s namespace', async () => {
    const script = join(lab.gw.dir, 'inside.mts');
    writeFileSync(
      script,
      `
      import { StrongswanDriver } from '${ROOT}/src/dataplane/strongswan/driver.ts';
      import { systemClock } from '${ROOT}/src/domain/ports.ts';
      import { intent } from '${ROOT}/test/support/differential.ts';
      import { until } from '${ROOT}/test/support/netns.ts';
      const events = [];
      const driver = new StrongswanDriver(systemClock, { viciUri: '${lab.gw.viciUri}', settleMs: 30, gcDelayMs: 600_000 });
      await driver.start((e) => events.push(e));
      const bad = intent({ startupAction: 'add' });
      bad.local = { ...bad.local, address: '192.0.2.77', id: '192.0.2.77' };
      bad.config.outsideIp = '192.0.2.77';
      const good = intent({ startupAction: 'add' });
      driver.apply(bad);
      driver.apply(good);
      await until(async () => [bad, good].every((i) => events.some((e) => e.tunnelId === i.tunnelId)), 10_000, 'an event per tunnel', 20);
      await driver.stop();
      const first = (i) => events.find((e) => e.tunnelId === i.tunnelId);
      console.log(JSON.stringify({ bad: first(bad), good: first(good) }));
    `,
    );
    const out = await new Promise<string>((resolve, reject) => {
      execFile(
        'ip',
        ['netns', 'exec', lab.gwNs, process.execPath, '--import', 'tsx', script],
        { cwd: ROOT, timeout: 60_000 },
        (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)),
      );
    });
    const { bad, good } = JSON.parse(out.trim().split('\n').at(-1)!);
    assert.equal(bad.kind, 'negotiation-failed');
    assert.equal(bad.observation.provisioning, 'failed');
    assert.equal(bad.observation.ikeStatus, 'DOWN');
    assert.match(
      bad.observation.provisioningReason,
      /^outside IP 192\.0\.2\.77 is not an address of the host charon runs on \(charon shares sitevpn's network namespace, whose addresses are (\S+, )*192\.0\.2\.1(, \S+)*\): charon cannot send from it; add it to the host or take outside IPs \(SITEVPN_OUTSIDE_IP_POOL\) from the host's addresses$/,
    );
    assert.equal(good.kind, 'waiting-for-peer');
  });
});
