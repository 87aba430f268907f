// Stored values written before identities were checked (or by a future bug) must not change the
// shape of a generated configuration: these tests feed hostile values straight to the generators.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Tunnel } from '../../domain/entities.ts';
import { genericConfig, plainText } from './generic.ts';
import { GENERIC_DEVICE_TYPE, renderDeviceConfig, STRONGSWAN_DEVICE_TYPE } from './index.ts';
import { swanctlConf } from './swanctl.ts';
import { type ConfSection, readSwanctl } from './swanctl-reader.ts';
import { hostileString, IKE, input, PSKS, tunnel } from './test-fixtures.ts';

/** Property runs: bounded in `npm test`, longer with FUZZ_RUNS=. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const EVIL = 'vpn.example.com\n}\n}\nsecrets {\n  ike-evil {\n    id = %any\n    secret = "attacker"\n  }\n}\nconnections {\n  x {';

/** The tree with every value replaced by a marker: its shape (sections and keys) only. */
function shape(s: ConfSection): unknown {
  return { keys: Object.keys(s.settings).sort(), sections: Object.fromEntries(Object.entries(s.sections).map(([k, v]) => [k, shape(v)])) };
}

function fqdnInput(cgwId: string, localId: string, peerId: string, deviceName?: string) {
  const ike = { ...IKE, localIdType: 'fqdn' as const, localId, peerIdType: 'fqdn' as const, peerId };
  return input({}, [tunnel(0, { ike }), tunnel(1, { ike })], { idType: 'fqdn', idValue: cgwId, deviceName });
}

describe('device configurations of hostile stored values', () => {
  it('keep the shape of a benign swanctl.conf and read back every identity exactly', () => {
    const benign = readSwanctl(swanctlConf(fqdnInput('cpe.example.com', 'gw.example.com', 'cpe.example.com', 'router')));
    const hostile = readSwanctl(swanctlConf(fqdnInput(EVIL, `${EVIL}-local`, `${EVIL}-peer`, EVIL)));
    assert.deepEqual(shape(hostile), shape(benign));
    assert.deepEqual(Object.keys(hostile.sections.secrets.sections), [
      'ike-vpn-0a1b2c3d4e5f60718-tunnel1',
      'ike-vpn-0a1b2c3d4e5f60718-tunnel2',
    ]);
    const conn = hostile.sections.connections.sections['vpn-0a1b2c3d4e5f60718-tunnel1'];
    assert.deepEqual([conn.sections.local.settings.id, conn.sections.remote.settings.id], [`${EVIL}-peer`, `${EVIL}-local`]);
    assert.deepEqual(hostile.sections.secrets.sections['ike-vpn-0a1b2c3d4e5f60718-tunnel2'].settings, {
      id: `${EVIL}-local`,
      secret: 'REPLACE_WITH_TUNNEL2_PSK',
    });
  });

  it('keep that shape for any identity and device name at all', () => {
    const benign = shape(readSwanctl(swanctlConf(fqdnInput('a.example', 'b.example', 'c.example', 'd'))));
    fc.assert(
      fc.property(hostileString(), hostileString(), hostileString({ minLength: 1 }), (cgwId, id, device) => {
        const safe = (s: string) => s.replaceAll('\0', '') || 'x';
        const tree = readSwanctl(swanctlConf(fqdnInput(safe(cgwId), safe(id), safe(id), device)));
        assert.deepEqual(shape(tree), benign);
        assert.equal(tree.sections.connections.sections['vpn-0a1b2c3d4e5f60718-tunnel1'].sections.remote.settings.id, safe(id));
      }),
      { numRuns: RUNS },
    );
  });

  it('keep every generic row on its own line, escaping line breaks and control characters', () => {
    assert.equal(plainText('a\\b\nc\rd\te\u0000f\u001b\u2028'), 'a\\\\b\\nc\\rd\\te\\u{0}f\\u{1b}\\u{2028}');
    const text = genericConfig(fqdnInput(EVIL, 'gw.example.com', EVIL, 'dev\nice'));
    const benign = genericConfig(fqdnInput('cpe.example.com', 'gw.example.com', 'cpe.example.com', 'device'));
    assert.equal(text.split('\n').length, benign.split('\n').length);
    assert.ok(text.includes(`Customer gateway identity : ${plainText(EVIL)}`));
    assert.ok(text.includes('Customer device  : dev\\nice'));
    assert.ok(!text.split('\n').some((line) => line.startsWith('secrets')));
  });
});

describe('device configurations with pre-shared keys', () => {
  const psk = (t: Tunnel) => t.psk;

  it('write the placeholders by default and say so', () => {
    const conf = readSwanctl(renderDeviceConfig(STRONGSWAN_DEVICE_TYPE, input())!);
    assert.deepEqual(
      Object.values(conf.sections.secrets.sections).map((s) => s.settings.secret),
      ['REPLACE_WITH_TUNNEL1_PSK', 'REPLACE_WITH_TUNNEL2_PSK'],
    );
  });

  it('write each tunnel key, quoted, when the caller passes them, and warn that the file is secret', () => {
    const text = renderDeviceConfig(STRONGSWAN_DEVICE_TYPE, { ...input(), psk })!;
    const conf = readSwanctl(text);
    assert.deepEqual(
      Object.values(conf.sections.secrets.sections).map((s) => s.settings.secret),
      PSKS,
    );
    assert.match(text, /secret = "Tunnel\.one_secret"/);
    assert.match(text, /^# THIS FILE CONTAINS PRE-SHARED KEYS\. Keep it secret/m);
    assert.doesNotMatch(text, /REPLACE_WITH|NOT INCLUDED/);
  });

  it('write keys with quotes, braces, line breaks or a 0x/0s prefix so that charon holds exactly those bytes', () => {
    const keys = ['q"uo}te\n{x', '0xdeadbeef'];
    const text = renderDeviceConfig(STRONGSWAN_DEVICE_TYPE, { ...input(), psk: (t) => keys[t.index] })!;
    const secrets = Object.values(readSwanctl(text).sections.secrets.sections).map((s) => s.settings.secret);
    assert.deepEqual(secrets, [keys[0], `0x${Buffer.from('0xdeadbeef').toString('hex')}`]);
  });

  it('write a key for the tunnels that have one and a placeholder for the others', () => {
    const text = renderDeviceConfig(STRONGSWAN_DEVICE_TYPE, { ...input(), psk: (t) => (t.index === 1 ? t.psk : undefined) })!;
    assert.deepEqual(
      Object.values(readSwanctl(text).sections.secrets.sections).map((s) => s.settings.secret),
      ['REPLACE_WITH_TUNNEL1_PSK', PSKS[1]],
    );
    assert.match(text, /placeholder \(REPLACE_WITH_TUNNEL1_PSK\)/);
  });

  it('write the keys in the generic text too, escaped', () => {
    const text = renderDeviceConfig(GENERIC_DEVICE_TYPE, { ...input(), psk: (t) => `${t.psk}\nx` })!;
    assert.ok(text.includes('Pre-shared key            : Tunnel.one_secret\\nx'));
    assert.match(text, /^THIS TEXT CONTAINS PRE-SHARED KEYS/m);
    assert.equal(renderDeviceConfig('cafebabe', input()), undefined);
  });
});
