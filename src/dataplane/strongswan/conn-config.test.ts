import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connConfig, connVersion, hashOfChild, ifIdOf, rekeyTiming } from './conn-config.ts';
import { testIntent } from './test-support.ts';

describe('connConfig', () => {
  it('writes one conn named by the tunnel id with the policy subnets, proposals, lifetimes and DPD', () => {
    const c = connConfig(testIntent());
    assert.equal(c.name, '5107ab8d-a30b-4ec2-82b7-a13365c76675');
    assert.match(c.child, /^sv-[0-9a-f]{16}$/);
    assert.deepEqual(c.section, {
      version: '2',
      local_addrs: ['192.0.2.1'],
      remote_addrs: ['198.51.100.7'],
      proposals: ['aes256-sha256-modp2048'],
      rekey_time: '28530s',
      over_time: '270s',
      rand_time: '270s',
      dpd_delay: '10s',
      unique: 'replace',
      mobike: 'no',
      keyingtries: 1,
      local: { auth: 'psk', id: '192.0.2.1' },
      remote: { auth: 'psk', id: '198.51.100.7' },
      children: {
        [c.child]: {
          local_ts: ['10.10.0.0/24'],
          remote_ts: ['10.20.0.0/24'],
          esp_proposals: ['aes128gcm16-ecp256'],
          mode: 'tunnel',
          rekey_time: '3330s',
          life_time: '3600s',
          rand_time: '270s',
          replay_window: 1024,
          dpd_action: 'restart',
          start_action: 'none',
          close_action: 'none',
        },
      },
    });
  });

  it('loads the PSK for the pair of identities, named after the tunnel', () => {
    assert.deepEqual(connConfig(testIntent()).secret, {
      id: 'psk-5107ab8d-a30b-4ec2-82b7-a13365c76675',
      type: 'IKE',
      data: 'Peer.Key-0001',
      owners: ['192.0.2.1', '198.51.100.7'],
    });
  });

  it('accepts either version as version 0 and gives IKEv1 its DPD timeout', () => {
    const c = connConfig(testIntent({ ike: { versions: ['v2', 'v1'] } }));
    assert.equal(c.section.version, '0');
    assert.equal(c.section.dpd_timeout, '15s');
    assert.equal(c.section.rekey_time, '28530s');
  });

  it('reauthenticates IKEv1-only tunnels and lists one proposal per combination', () => {
    const c = connConfig(
      testIntent({
        ike: { versions: ['v1'], encryption: ['aes128-cbc', 'aes256-cbc'], dhGroups: [14] },
        ipsec: { encryption: ['aes128-cbc'], pfsGroups: [] },
      }),
    );
    assert.equal(c.section.version, '1');
    assert.equal(c.section.reauth_time, '28530s');
    assert.equal(c.section.rekey_time, undefined);
    assert.deepEqual(c.section.proposals, ['aes128-sha256-modp2048', 'aes256-sha256-modp2048']);
    assert.deepEqual((c.section.children as Record<string, { esp_proposals: string[] }>)[c.child].esp_proposals, ['aes128-sha256']);
  });

  it('makes route-based tunnels with an XFRM interface id and the intent selectors', () => {
    const intent = testIntent({
      intent: {
        style: 'static',
        local: { address: '192.0.2.1', id: '192.0.2.1', subnets: ['0.0.0.0/0'] },
        remote: { address: '198.51.100.7', id: '198.51.100.7', subnets: ['0.0.0.0/0'] },
      },
    });
    const c = connConfig(intent);
    const child = (c.section.children as Record<string, Record<string, unknown>>)[c.child];
    assert.equal(c.ifId, ifIdOf(intent.tunnelId));
    assert.equal(child.if_id_in, c.ifId);
    assert.equal(child.if_id_out, c.ifId);
    assert.deepEqual(child.local_ts, ['0.0.0.0/0']);
  });

  it('turns DPD off for the action none', () => {
    const c = connConfig(testIntent({ ike: { dpd: { timeoutSeconds: 30, intervalSeconds: 10, msg: 'seq-hash-notify', action: 'none' } } }));
    assert.equal(c.section.dpd_delay, '0s');
    assert.equal((c.section.children as Record<string, Record<string, unknown>>)[c.child].dpd_action, 'clear');
  });

  it('changes the hash (the child name) with the generation and the config, and only then', () => {
    const a = connConfig(testIntent());
    assert.equal(connConfig(testIntent()).hash, a.hash);
    assert.notEqual(connConfig(testIntent({ intent: { generation: 2 } })).hash, a.hash);
    assert.notEqual(connConfig(testIntent({ ike: { dhGroups: [15] } })).hash, a.hash);
    assert.equal(hashOfChild(a.child), a.hash);
    assert.equal(hashOfChild('net-net'), undefined);
  });
});

describe('rekeyTiming', () => {
  it('rekeys margin before the end, randomised by fuzz % of the margin', () => {
    assert.deepEqual(rekeyTiming(3600, 540, 100), { rekey: 3060, margin: 540, rand: 540 });
    assert.deepEqual(rekeyTiming(3600, 540, 50), { rekey: 3060, margin: 540, rand: 270 });
  });

  it('caps the margin at half the lifetime and the fuzz at half of what is left', () => {
    assert.deepEqual(rekeyTiming(900, 800, 100), { rekey: 450, margin: 450, rand: 225 });
  });
});

describe('connVersion', () => {
  it('is 2, 1 or 0 for both', () => {
    assert.equal(connVersion(['v2']), '2');
    assert.equal(connVersion(['v1']), '1');
    assert.equal(connVersion(['v1', 'v2']), '0');
  });
});
