import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { readSwanctl } from './swanctl-reader.ts';
import { comment, commentText, confName, confValue, kv, kvQuoted, quoted, secretValue, section, writeConf } from './swanctl-syntax.ts';
import { hostileString } from './test-fixtures.ts';

/** Property runs: bounded in `npm test`, longer with FUZZ_RUNS=. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);
const HOSTILE = 'x"\n}\nsecrets {\n  ike-evil {\n    secret = "owned"\n  }\n}\r# \\';

/** A file with one value written by `entry`, read back the way charon reads it. */
const readBack = (value: string) => readSwanctl(writeConf([section('a', [kvQuoted('id', value), kv('after', 'yes')])]) + '\n');

describe('swanctl.conf syntax', () => {
  it('quotes a string escaping only backslash, double quote, CR, LF and TAB', () => {
    assert.equal(quoted('vpn.example.com'), '"vpn.example.com"');
    assert.equal(quoted('a"b\\c\nd\re\tf{}#='), '"a\\"b\\\\c\\nd\\re\\tf{}#="');
    assert.equal(quoted(''), '""');
  });

  it('writes the plain tokens sitevpn computes bare and quotes anything else', () => {
    assert.deepEqual(
      ['203.0.113.1', '0.0.0.0/0, 10.0.0.0/8', 'aes128-sha256-modp2048', '28530s', '2001:db8::1', '%any', 7].map(confValue),
      ['203.0.113.1', '0.0.0.0/0, 10.0.0.0/8', 'aes128-sha256-modp2048', '28530s', '2001:db8::1', '%any', '7'],
    );
    assert.deepEqual(['a  b', ' a', 'a}', 'a#b', 'a"b', '', 'x\ny', '{'].map(confValue), [
      '"a  b"',
      '" a"',
      '"a}"',
      '"a#b"',
      '"a\\"b"',
      '""',
      '"x\\ny"',
      '"{"',
    ]);
  });

  it('keeps comments on one line and section names to letters, digits, - and _', () => {
    assert.equal(commentText('a\nb\r\nc\u2028d\u0000e\u001b[0m'), 'a b  c d e [0m');
    assert.equal(writeConf([comment('one\n}\nsecrets {')]), '# one } secrets {');
    assert.equal(confName('vpn-1.tunnel 1}\n{'), 'vpn-1_tunnel_1___');
    assert.equal(writeConf([section('a.b', [kv('k', 'v')])]), 'a_b {\n  k = v\n}');
  });

  it('reads back a hostile quoted value as exactly itself, inside its own section, with nothing added', () => {
    const tree = readBack(HOSTILE);
    assert.deepEqual(Object.keys(tree.sections), ['a']);
    assert.deepEqual(tree.sections.a.settings, { id: HOSTILE, after: 'yes' });
    assert.deepEqual(Object.keys(tree.sections.a.sections), []);
  });

  it('reads back any string written quoted as exactly that string', () => {
    fc.assert(
      fc.property(
        hostileString().filter((s) => !s.includes('\0')),
        (value) => {
          const tree = readBack(value);
          return (
            tree.sections.a.settings.id === value && tree.sections.a.settings.after === 'yes' && Object.keys(tree.sections).length === 1
          );
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('never lets comment text reach past its line', () => {
    fc.assert(
      fc.property(hostileString(), (text) => {
        const out = writeConf([comment(text), kv('k', 'v')]);
        return out.split('\n').length === 2 && !/[\r\u2028\u2029]/.test(out) && readSwanctl(out).settings.k === 'v';
      }),
      { numRuns: RUNS },
    );
  });

  it('writes pre-shared keys quoted, and in hex when swanctl would decode them or C would cut them', () => {
    const secret = (psk: string) => writeConf([secretValue(psk)]);
    assert.equal(secret('Abc.def_123'), 'secret = "Abc.def_123"');
    assert.equal(secret('say "hi"\\'), 'secret = "say \\"hi\\"\\\\"');
    assert.equal(secret('0x41424344'), `secret = 0x${Buffer.from('0x41424344').toString('hex')}`);
    assert.equal(secret('0SQUJD'), `secret = 0x${Buffer.from('0SQUJD').toString('hex')}`);
    assert.equal(secret('nul\0byte'), 'secret = 0x6e756c0062797465');
    assert.equal(readSwanctl(`${secret('x"\n}\nsecrets {')}\n`).settings.secret, 'x"\n}\nsecrets {');
  });
});
