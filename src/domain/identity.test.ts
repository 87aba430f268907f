import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { hasControlCharacters, identityKind, identityProblem, isFqdn } from './identity.ts';

describe('IKE identities', () => {
  it('classifies each accepted shape as the identity type charon reads it as', () => {
    const cases: Array<[string, string]> = [
      ['192.0.2.10', 'ipv4'],
      ['2001:db8::10', 'ipv6'],
      ['::ffff:192.0.2.1', 'ipv6'],
      ['vpn.example.com', 'fqdn'],
      ['branch-office', 'fqdn'],
      ['_vpn.site-1.example', 'fqdn'],
      ['a.example', 'fqdn'],
      ['vpn@example.com', 'user-fqdn'],
      ['first.last+tag@corp.example', 'user-fqdn'],
      ['@#0123abCD', 'key-id'],
      [`@#${'ab'.repeat(64)}`, 'key-id'],
    ];
    for (const [value, kind] of cases) assert.equal(identityKind(value), kind, value);
  });

  it('refuses strings charon would read as something else or that could break a configuration file', () => {
    for (const value of [
      '',
      '0.0.0.0', // charon: any identity
      '::',
      '0:0:0:0:0:0:0:0',
      '%any',
      '*',
      'fe80::1%eth0',
      '10.0.0.0/8', // charon: an address range identity
      '1.2.3.4-1.2.3.9',
      '1.2.3', // all-numeric last label reads as an (invalid) IPv4 address
      '10.0.0.256',
      'CN=vpn, O=corp', // charon: a distinguished name
      'vpn.example.com.',
      '-vpn.example.com',
      'vpn-.example.com',
      'vpn..example.com',
      `${'a'.repeat(64)}.example`,
      `${'a.'.repeat(127)}com`, // 257 characters
      'vpn example.com',
      'vpn.example.com\n}\nsecrets { evil { secret = x } }',
      'vpn.example.com"',
      'vpn{}.example.com',
      'vpn#.example.com',
      '@vpn.example.com', // charon's own "FQDN, do not resolve" form: sitevpn takes the plain name
      '@@vpn.example.com',
      'user@',
      '@',
      'user@@example.com',
      '.user@example.com',
      'us"er@example.com',
      'user@example.123',
      `${'u'.repeat(65)}@example.com`,
      '@#',
      '@#abc',
      '@#xyz0',
      `@#${'ab'.repeat(65)}`,
      'vpn.exam\u2028ple.com',
    ]) {
      assert.equal(identityKind(value), null, JSON.stringify(value));
    }
  });

  it('says what an identity of each type must be', () => {
    assert.equal(identityProblem('ip', '198.51.100.7'), null);
    assert.equal(identityProblem('ip', '2001:db8::7'), null);
    assert.equal(identityProblem('fqdn', 'vpn.example.com'), null);
    assert.equal(identityProblem('fqdn', 'vpn@example.com'), null);
    assert.equal(identityProblem('fqdn', '@#00ff'), null);
    assert.equal(identityProblem('ip', 'vpn.example.com'), 'must be an IPv4 or IPv6 address (not 0.0.0.0 or ::)');
    assert.equal(identityProblem('ip', '0.0.0.0'), 'must be an IPv4 or IPv6 address (not 0.0.0.0 or ::)');
    assert.equal(
      identityProblem('fqdn', '198.51.100.7'),
      'must be a domain name such as vpn.example.com, a user@domain name such as vpn@example.com, or a key id written as @# and hex digits',
    );
    assert.equal(identityProblem('fqdn', 'x\ny'), identityProblem('fqdn', '198.51.100.7'));
  });

  it('never accepts a string with a control character, a quote, a brace, a hash, a space or a backslash', () => {
    const hostile = fc
      .tuple(
        fc.string(),
        fc.constantFrom('\n', '\r', '\t', '\0', '\u007f', '\u0085', '\u2028', '"', '{', '}', '#', ' ', '\\', '='),
        fc.string(),
      )
      .map(([a, bad, b]) => `${a}${bad}${b}`);
    fc.assert(
      fc.property(hostile, (value) => identityKind(value) === null),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 1000) },
    );
  });

  it('accepts every well-formed domain name up to 253 characters', () => {
    const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,20}[a-z0-9])?$/);
    const name = fc
      .tuple(fc.array(label, { minLength: 0, maxLength: 4 }), fc.stringMatching(/^[a-z][a-z0-9]{0,10}$/))
      .map(([ls, tld]) => [...ls, tld].join('.'));
    fc.assert(fc.property(name, (n) => isFqdn(n) && identityKind(n) === 'fqdn' && identityKind(`ops@${n}`) === 'user-fqdn'));
  });

  it('finds control characters, line and paragraph separators included', () => {
    assert.deepEqual(
      ['a\nb', 'a\rb', 'a\u0000', 'a\u001b[31m', '\u007f', '\u009b', '\u2028', '\u2029', 'plain text: {}#"=\\', 'Grüße'].map(
        hasControlCharacters,
      ),
      [true, true, true, true, true, true, true, true, false, false],
    );
  });
});
