import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { VpnConnection } from '../../domain/entities.ts';
import { tunnelIntent } from '../intents.ts';
import { rekeyTiming } from './common.ts';
import { genericConfig } from './generic.ts';
import { swanctlConf } from './swanctl.ts';
import { IKE as AWS_DEFAULT_IKE, IPSEC as AWS_DEFAULT_IPSEC, input, PSKS, tunnel } from './test-fixtures.ts';

const lines = (conf: string) =>
  conf
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
const values = (conf: string, key: string) =>
  lines(conf)
    .filter((l) => l.startsWith(`${key} = `))
    .map((l) => l.slice(key.length + 3));

describe('swanctl.conf generator', () => {
  it('writes balanced sections whose every other line is a comment or a key = value pair', () => {
    for (const conf of [swanctlConf(input()), swanctlConf({ ...input(), ikeVersion: 'v1' }), swanctlConf(input({ style: 'bgp' }))]) {
      let depth = 0;
      for (const line of lines(conf)) {
        if (line.startsWith('#')) continue;
        if (/^[A-Za-z0-9_-]+ \{$/.test(line)) depth++;
        else if (line === '}') depth--;
        else assert.match(line, /^[a-z_]+ = \S/);
        assert.ok(depth >= 0, 'a section closes that was never opened');
      }
      assert.equal(depth, 0);
    }
  });

  it('connects the customer address to each tunnel outside IP with the tunnel inside addresses in comments', () => {
    const conf = swanctlConf(input());
    assert.deepEqual(values(conf, 'local_addrs'), ['198.51.100.7', '198.51.100.7']);
    assert.deepEqual(values(conf, 'remote_addrs'), ['203.0.113.1', '203.0.113.2']);
    assert.match(conf, /ip address add 169\.254\.40\.2\/30 dev xfrm1/);
    assert.match(conf, /ip address add 169\.254\.41\.2\/30 dev xfrm2/);
    assert.deepEqual(values(conf, 'if_id_in'), ['1', '2']);
  });

  it('never contains a pre-shared key, only one named placeholder per tunnel and a note saying so', () => {
    const conf = swanctlConf(input());
    for (const psk of PSKS) assert.ok(!conf.includes(psk));
    assert.deepEqual(values(conf, 'secret'), ['"REPLACE_WITH_TUNNEL1_PSK"', '"REPLACE_WITH_TUNNEL2_PSK"']);
    assert.match(conf, /^# PRE-SHARED KEYS ARE NOT INCLUDED/m);
    const generic = genericConfig(input());
    for (const psk of PSKS) assert.ok(!generic.includes(psk));
    assert.match(generic, /pre-shared key REPLACE_WITH_TUNNEL2_PSK/);
  });

  it('translates the allowed lists into IKEv2 proposals, keeping AEAD and classic ciphers apart', () => {
    const t = tunnel(0, {
      ike: { ...AWS_DEFAULT_IKE, encryption: ['aes256-gcm16', 'aes128-cbc'], integrity: ['sha2-384'], dhGroups: [20, 14] },
      ipsec: { ...AWS_DEFAULT_IPSEC, encryption: ['aes256-gcm16'], integrity: ['sha1'], pfsGroups: [] },
    });
    const conf = swanctlConf(input({}, [t]));
    // The operator listed AES-GCM first: it is proposed first (issue 11, item 6).
    assert.deepEqual(values(conf, 'proposals'), ['aes256gcm16-prfsha384-ecp384-modp2048, aes128-sha384-ecp384-modp2048']);
    assert.deepEqual(values(conf, 'esp_proposals'), ['aes256gcm16']);
    assert.deepEqual(values(conf, 'version'), ['2']);
  });

  it('lists every IKEv1 combination on its own and leaves AES-GCM out of phase 1', () => {
    const t = tunnel(0, {
      ike: {
        ...AWS_DEFAULT_IKE,
        encryption: ['aes256-gcm16', 'aes128-cbc', 'aes256-cbc'],
        integrity: ['sha2-256', 'sha1'],
        dhGroups: [14],
      },
      ipsec: { ...AWS_DEFAULT_IPSEC, encryption: ['aes128-gcm16', 'aes128-cbc'], integrity: ['sha2-256'], pfsGroups: [14, 19] },
    });
    const conf = swanctlConf({ ...input({}, [t]), ikeVersion: 'v1' });
    assert.deepEqual(values(conf, 'proposals'), [
      'aes128-sha256-modp2048, aes128-sha1-modp2048, aes256-sha256-modp2048, aes256-sha1-modp2048',
    ]);
    assert.deepEqual(values(conf, 'esp_proposals'), [
      'aes128gcm16-modp2048, aes128gcm16-ecp256, aes128-sha256-modp2048, aes128-sha256-ecp256',
    ]);
    assert.deepEqual([values(conf, 'version'), values(conf, 'reauth_time'), values(conf, 'dpd_timeout')], [['1'], ['28530s'], ['40s']]);
    assert.match(conf, /AES-GCM is defined for IKEv2 and ESP only/);
  });

  it('derives rekey, life and random times from the lifetimes, the rekey margin and the fuzz', () => {
    const t = tunnel(0, {
      ike: { ...AWS_DEFAULT_IKE, lifetimeSeconds: 14400, rekeyMarginSeconds: 600, rekeyFuzzPercent: 50 },
      ipsec: { ...AWS_DEFAULT_IPSEC, lifetimeSeconds: 3000 },
    });
    const conf = swanctlConf(input({}, [t]));
    assert.deepEqual(values(conf, 'rekey_time'), ['13800s', '2400s']);
    assert.deepEqual(values(conf, 'over_time'), ['600s']);
    assert.deepEqual(values(conf, 'rand_time'), ['300s', '300s']);
    assert.deepEqual(values(conf, 'life_time'), ['3000s']);
    assert.deepEqual(rekeyTiming(900, 5000, 100), { rekey: 810, margin: 90, rand: 90 });
  });

  it('mirrors the traffic selectors the data plane negotiates, for route-based and policy-based connections', () => {
    for (const over of [
      { localNetworkCidr: '10.1.0.0/16', remoteNetworkCidr: '10.2.0.0/16' },
      { style: 'policy', peerSubnets: ['192.168.0.0/24'] },
    ] as const) {
      const i = input(over as Partial<VpnConnection>);
      const intent = tunnelIntent(i.connection, i.connection.tunnels[0], i.gateway, i.cgw);
      const conf = swanctlConf(i);
      assert.equal(values(conf, 'local_ts')[0], intent.remote.subnets.join(', '));
      assert.equal(values(conf, 'remote_ts')[0], intent.local.subnets.join(', '));
    }
    assert.deepEqual(values(swanctlConf(input()), 'local_ts'), ['0.0.0.0/0', '0.0.0.0/0']);
  });

  it('tells a customer without kernel ESP (kernel-libipsec) what to change: selectors instead of 0.0.0.0/0, an address inside local_ts', () => {
    const routeBased = swanctlConf(input());
    assert.equal(values(routeBased, 'local_ts')[0], '0.0.0.0/0');
    assert.equal(
      (
        routeBased.match(
          /# Without kernel ESP \(kernel-libipsec\): if_id_in\/if_id_out do nothing \(no XFRM interface\) and charon routes$/gm,
        ) ?? []
      ).length,
      2,
    );
    assert.match(
      routeBased,
      /# 0\.0\.0\.0\/0 into ipsec0, which also takes the other tunnel's IKE packets, so DPD closes that tunnel\. Set\n\s*# local_ts to your site subnet and remote_ts to the subnet behind the gateway \(the gateway narrows to them\),\n\s*# and give this host an address inside local_ts \(e\.g\. on lo\)\.\n\s*local_ts = 0\.0\.0\.0\/0/,
    );
    const narrowed = swanctlConf(input({ localNetworkCidr: '10.1.0.0/16', remoteNetworkCidr: '10.2.0.0/16' }));
    assert.doesNotMatch(narrowed, /routes\n/);
    assert.match(
      narrowed,
      /# Without kernel ESP \(kernel-libipsec\): give this host an address inside local_ts \(e\.g\. on lo\), or charon answers TS_UNACCEPTABLE\.\n\s*local_ts = /,
    );
  });

  it('maps the startup and DPD actions onto what the customer device should do', () => {
    const conf = swanctlConf(
      input({}, [
        tunnel(0),
        tunnel(1, { startupAction: 'start', ike: { ...AWS_DEFAULT_IKE, dpd: { ...AWS_DEFAULT_IKE.dpd, action: 'restart' } } }),
      ]),
    );
    assert.deepEqual(values(conf, 'start_action'), ['start', 'trap']);
    assert.deepEqual(values(conf, 'dpd_action'), ['clear', 'restart']);
    assert.deepEqual(values(conf, 'dpd_delay'), ['10s', '10s']);
  });

  it('is accepted by a real charon when strongSwan is installed', {
    skip:
      !canRunCharon() &&
      process.env.CI !== 'true' &&
      'SKIPPED: needs Debian packages charon-systemd, strongswan-swanctl, libcharon-extra-plugins and root (netns)',
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sitevpn-swanctl-'));
    const ns = `svtest${process.pid}`;
    const conf = join(dir, 'strongswan.conf');
    writeFileSync(
      conf,
      `charon {\n  plugins {\n    include /etc/strongswan.d/charon/*.conf\n    vici { socket = unix://${dir}/vici }\n    stroke { load = no }\n  }\n}\nswanctl { socket = unix://${dir}/vici }\n`,
    );
    writeFileSync(
      join(dir, 'swanctl.conf'),
      swanctlConf(input({ style: 'bgp' })) + swanctlConf({ ...input(), ikeVersion: 'v1' }).replace(/vpn-0a1b2c3d4e5f60718/g, 'vpn-v1'),
    );
    spawnSync('ip', ['netns', 'add', ns]);
    const env = { ...process.env, STRONGSWAN_CONF: conf };
    const charon = spawn('ip', ['netns', 'exec', ns, '/usr/sbin/charon-systemd'], { env, stdio: 'ignore' });
    try {
      for (let i = 0; i < 100 && !existsSync(join(dir, 'vici')); i++) await new Promise((r) => setTimeout(r, 50));
      const load = spawnSync('/usr/sbin/swanctl', ['--load-all', '--noprompt', '--file', join(dir, 'swanctl.conf')], {
        env,
        encoding: 'utf8',
      });
      assert.equal(load.status, 0, load.stdout + load.stderr);
      assert.match(load.stdout, /successfully loaded 4 connections/);
      assert.match(load.stdout, /loaded ike secret 'ike-vpn-v1-tunnel2'/);
    } finally {
      charon.kill();
      await new Promise((r) => charon.once('exit', r));
      spawnSync('ip', ['netns', 'del', ns]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function canRunCharon(): boolean {
  const ip = existsSync('/usr/sbin/ip') || existsSync('/usr/bin/ip');
  return process.getuid?.() === 0 && ip && existsSync('/usr/sbin/charon-systemd') && existsSync('/usr/sbin/swanctl');
}
