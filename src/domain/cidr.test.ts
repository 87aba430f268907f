import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  addressOf,
  cidrContains,
  formatCidr,
  hostsOf,
  insideAddressesOf,
  insideCidrOf,
  isCidr,
  isInsideTunnelAddress,
  isInsideTunnelCidr,
  isIp,
  isIpv4,
  isIpv6,
  isReservedInsideCidr,
  normalizeCidrs,
  normalizeIp,
  parseCidr,
} from './cidr.ts';

describe('IP addresses', () => {
  it('accepts dotted quads and refuses leading zeros, short forms, out-of-range octets and padding', () => {
    for (const ok of ['0.0.0.0', '10.1.2.3', '255.255.255.255']) assert.equal(isIpv4(ok), true, ok);
    for (const bad of ['010.1.2.3', '10.1.2', '10.1.2.256', ' 10.1.2.3', '10.1.2.3 ', '0x0a.1.2.3', '1', '', 'fe80::1']) {
      assert.equal(isIpv4(bad), false, bad);
    }
  });

  it('accepts IPv6 when asked, without zone ids', () => {
    for (const ok of ['::1', '2001:db8::1', 'fe80::1:2:3:4', '::ffff:192.0.2.1']) assert.equal(isIpv6(ok), true, ok);
    for (const bad of ['fe80::1%eth0', '2001:db8:::1', '10.1.2.3', 'g::1']) assert.equal(isIpv6(bad), false, bad);
    assert.deepEqual([isIp('10.1.2.3'), isIp('2001:db8::1'), isIp('nope')], [true, true, false]);
  });

  it('normalises IPv6 to RFC 5952 text', () => {
    assert.equal(normalizeIp('2001:0db8:0000:0000:0000:0000:0000:0001'), '2001:db8::1');
    assert.equal(normalizeIp('10.1.2.3'), '10.1.2.3');
    assert.equal(normalizeIp('10.1.2.3', 6), null);
  });

  it('takes the address part of an address with a prefix', () => {
    assert.deepEqual(
      [addressOf('169.254.56.225/30'), addressOf('10.1.2.3'), addressOf('2001:db8::1/64')],
      ['169.254.56.225', '10.1.2.3', '2001:db8::1'],
    );
  });
});

describe('CIDR blocks', () => {
  it('parses IPv4 blocks strictly by default and refuses IPv6 unless asked', () => {
    assert.deepEqual(parseCidr('10.1.0.0/16'), { family: 4, network: '10.1.0.0', prefix: 16 });
    assert.equal(parseCidr('10.1.2.3/16'), null);
    assert.deepEqual(parseCidr('10.1.2.3/16', false), { family: 4, network: '10.1.0.0', prefix: 16 });
    assert.equal(parseCidr('2001:db8::/32'), null);
    assert.deepEqual(parseCidr('2001:db8::/32', true, 6), { family: 6, network: '2001:db8::', prefix: 32 });
    assert.deepEqual(parseCidr('2001:db8::1/32', false, 'any'), { family: 6, network: '2001:db8::', prefix: 32 });
  });

  it('refuses a missing, too long or zero-padded prefix', () => {
    for (const bad of ['10.0.0.0', '10.0.0.0/33', '10.0.0.0/08', '10.0.0.0/', '10.0.0.0/-1', '10.0.0.0/1a'])
      assert.equal(isCidr(bad), false, bad);
    assert.equal(isCidr('::/129', true, 6), false);
    assert.equal(isCidr('::/128', true, 6), true);
    assert.equal(isCidr('0.0.0.0/0'), true);
  });

  it('tells whether one block lies inside another, never across families', () => {
    const c = (v: string) => parseCidr(v, true, 'any')!;
    assert.equal(cidrContains(c('10.0.0.0/8'), c('10.20.0.0/16')), true);
    assert.equal(cidrContains(c('10.20.0.0/16'), c('10.0.0.0/8')), false);
    assert.equal(cidrContains(c('10.0.0.0/8'), c('11.0.0.0/16')), false);
    assert.equal(cidrContains(c('0.0.0.0/0'), c('192.0.2.0/24')), true);
    assert.equal(cidrContains(c('2001:db8::/32'), c('2001:db8:1::/48')), true);
    assert.equal(cidrContains(c('0.0.0.0/0'), c('::/0')), false);
    assert.equal(formatCidr(c('2001:db8:1::/48')), '2001:db8:1::/48');
  });

  it('normalises and de-duplicates a list in order, dropping what does not parse', () => {
    assert.deepEqual(normalizeCidrs([' 10.1.2.3/24 ', '10.1.2.0/24', 'junk', '192.0.2.9/32']), ['10.1.2.0/24', '192.0.2.9/32']);
  });

  it('lists hosts without network and broadcast below /31, every address from /31', () => {
    assert.deepEqual([...hostsOf(parseCidr('192.0.2.0/30')!)], ['192.0.2.1', '192.0.2.2']);
    assert.deepEqual([...hostsOf(parseCidr('192.0.2.0/31')!)], ['192.0.2.0', '192.0.2.1']);
    assert.deepEqual([...hostsOf(parseCidr('2001:db8::/127', true, 6)!)], ['2001:db8::', '2001:db8::1']);
  });
});

describe('tunnel inside addresses', () => {
  it('accepts an address with prefix /30 in 169.254.0.0/16 and nothing else', () => {
    assert.equal(isInsideTunnelAddress('169.254.56.225/30'), true);
    for (const bad of ['169.254.56.225/29', '169.255.56.225/30', '10.0.0.1/30', '169.254.56.225', '169.254.056.225/30']) {
      assert.equal(isInsideTunnelAddress(bad), false, bad);
    }
  });

  it('accepts as an inside CIDR only a /30 block with its host bits clear', () => {
    assert.equal(isInsideTunnelCidr('169.254.56.224/30'), true);
    assert.equal(isInsideTunnelCidr('169.254.56.225/30'), false);
    assert.equal(isInsideTunnelCidr('169.254.01.0/30'), false);
  });

  it("knows AWS's reserved blocks", () => {
    for (const r of ['169.254.0.0/30', '169.254.5.0/30', '169.254.169.252/30']) assert.equal(isReservedInsideCidr(r), true, r);
    for (const free of ['169.254.6.0/30', '169.254.0.4/30', '169.254.169.248/30']) assert.equal(isReservedInsideCidr(free), false, free);
  });

  it('gives the gateway the first host of the /30 and the customer the second', () => {
    assert.deepEqual(insideAddressesOf('169.254.56.224/30'), { local: '169.254.56.225/30', peer: '169.254.56.226/30' });
    assert.equal(insideCidrOf('169.254.56.226/30'), '169.254.56.224/30');
    assert.equal(insideCidrOf('169.254.56.227'), '169.254.56.224/30');
  });
});
