import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IkeVersion } from '../../../domain/algorithms.ts';
import type { Role } from './outcome.ts';
import {
  agreeSelectors,
  coversSubnets,
  deviceSelectors,
  gatewaySelectors,
  intersectSubnets,
  normalizeSubnets,
  type SelectorSide,
  type TsAgreement,
} from './selectors.ts';
import { type IntentChanges, intentWith } from './test-fixtures.ts';

describe('gatewaySelectors', () => {
  const cases: { name: string; changes: IntentChanges; want: SelectorSide }[] = [
    {
      name: 'uses the local and remote subnets of a policy-based tunnel',
      changes: { local: { subnets: ['10.0.0.0/16', '10.2.0.0/16'] } },
      want: { local: ['10.0.0.0/16', '10.2.0.0/16'], remote: ['10.1.0.0/16'] },
    },
    {
      name: 'uses policy rules, sources as local and destinations as remote, when there are any',
      changes: {
        policyRules: [
          { ruleIndex: 1, source: '10.0.1.0/24', destinations: ['10.1.1.0/24', '10.1.2.0/24'] },
          { ruleIndex: 2, source: '10.0.2.0/24', destinations: ['10.1.1.0/24'] },
        ],
      },
      want: { local: ['10.0.1.0/24', '10.0.2.0/24'], remote: ['10.1.1.0/24', '10.1.2.0/24'] },
    },
    {
      name: "uses a static-routed tunnel's subnets as the charon config does (LocalIpv4NetworkCidr/RemoteIpv4NetworkCidr), not 0.0.0.0/0",
      changes: { style: 'static' },
      want: { local: ['10.0.0.0/16'], remote: ['10.1.0.0/16'] },
    },
    {
      name: 'protects everything for a static-routed tunnel whose intent carries 0.0.0.0/0',
      changes: { style: 'static', local: { subnets: ['0.0.0.0/0'] }, remote: { subnets: ['0.0.0.0/0'] } },
      want: { local: ['0.0.0.0/0'], remote: ['0.0.0.0/0'] },
    },
    {
      name: "ignores policy rules for a BGP tunnel and uses the intent's subnets",
      changes: { style: 'bgp', policyRules: [{ ruleIndex: 1, source: '10.0.1.0/24', destinations: ['10.1.1.0/24'] }] },
      want: { local: ['10.0.0.0/16'], remote: ['10.1.0.0/16'] },
    },
    {
      name: 'falls back to 0.0.0.0/0 for a side without subnets',
      changes: { remote: { subnets: [] } },
      want: { local: ['10.0.0.0/16'], remote: ['0.0.0.0/0'] },
    },
    {
      name: 'clears host bits, drops duplicates and skips malformed entries',
      changes: { local: { subnets: ['10.0.0.7/16', '10.0.0.0/16', 'bogus', '10.9.0.0/33'] } },
      want: { local: ['10.0.0.0/16'], remote: ['10.1.0.0/16'] },
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(gatewaySelectors(intentWith(c.changes)), c.want));
});

describe('deviceSelectors', () => {
  it('mirrors the gateway when the profile names no subnets', () => {
    const intent = intentWith({ device: { subnets: undefined } });
    assert.deepEqual(deviceSelectors(intent, gatewaySelectors(intent)), { local: ['10.1.0.0/16'], remote: ['10.0.0.0/16'] });
  });

  it("protects the profile's subnets and expects the gateway's local subnets behind the tunnel", () => {
    const intent = intentWith({ device: { subnets: ['10.1.1.0/24', '192.168.5.0/24'] } });
    assert.deepEqual(deviceSelectors(intent, gatewaySelectors(intent)), {
      local: ['10.1.1.0/24', '192.168.5.0/24'],
      remote: ['10.0.0.0/16'],
    });
  });
});

describe('subnet arithmetic', () => {
  const cases: { name: string; a: string[]; b: string[]; intersection: string[]; bCoversA: boolean }[] = [
    { name: 'keeps identical blocks', a: ['10.1.0.0/16'], b: ['10.1.0.0/16'], intersection: ['10.1.0.0/16'], bCoversA: true },
    { name: 'narrows to the smaller nested block', a: ['10.1.0.0/16'], b: ['10.1.1.0/24'], intersection: ['10.1.1.0/24'], bCoversA: false },
    { name: 'keeps a block inside a wider one', a: ['10.1.1.0/24'], b: ['10.0.0.0/8'], intersection: ['10.1.1.0/24'], bCoversA: true },
    { name: 'finds nothing between disjoint blocks', a: ['10.1.0.0/16'], b: ['192.168.0.0/24'], intersection: [], bCoversA: false },
    {
      name: 'keeps only the overlapping parts of several blocks',
      a: ['10.1.0.0/16', '172.16.0.0/12'],
      b: ['10.1.2.0/24', '172.16.5.0/24', '192.168.0.0/16'],
      intersection: ['10.1.2.0/24', '172.16.5.0/24'],
      bCoversA: false,
    },
    {
      name: 'treats 0.0.0.0/0 as covering everything',
      a: ['10.1.0.0/16'],
      b: ['0.0.0.0/0'],
      intersection: ['10.1.0.0/16'],
      bCoversA: true,
    },
  ];
  for (const c of cases) {
    it(`${c.name} when intersecting`, () => assert.deepEqual(intersectSubnets(c.a, c.b), c.intersection));
    it(`${c.name} when checking coverage`, () => assert.equal(coversSubnets(c.b, c.a), c.bCoversA));
  }

  it('normalises host bits away', () => assert.deepEqual(normalizeSubnets([' 10.1.2.3/24 ']), ['10.1.2.0/24']));
});

describe('agreeSelectors', () => {
  const gw: SelectorSide = { local: ['10.0.0.0/16'], remote: ['10.1.0.0/16'] };
  const cases: { name: string; device: SelectorSide; version: IkeVersion; initiator: Role; want: TsAgreement }[] = [
    {
      name: 'agrees on identical selectors in IKEv2',
      device: { local: ['10.1.0.0/16'], remote: ['10.0.0.0/16'] },
      version: 'v2',
      initiator: 'gateway',
      want: { ok: true, local: ['10.0.0.0/16'], remote: ['10.1.0.0/16'], narrowed: false },
    },
    {
      name: 'lets the device narrow the gateway remote subnets in IKEv2 when it responds',
      device: { local: ['10.1.1.0/24'], remote: ['10.0.0.0/16'] },
      version: 'v2',
      initiator: 'gateway',
      want: { ok: true, local: ['10.0.0.0/16'], remote: ['10.1.1.0/24'], narrowed: true },
    },
    {
      name: 'lets the gateway narrow a wider device proposal in IKEv2',
      device: { local: ['10.0.0.0/8'], remote: ['10.0.0.0/16'] },
      version: 'v2',
      initiator: 'device',
      want: { ok: true, local: ['10.0.0.0/16'], remote: ['10.1.0.0/16'], narrowed: false },
    },
    {
      name: 'rejects disjoint subnets in IKEv2',
      device: { local: ['192.168.0.0/24'], remote: ['10.0.0.0/16'] },
      version: 'v2',
      initiator: 'device',
      want: { ok: false, detail: 'device local subnets 192.168.0.0/24 do not overlap gateway remote subnets 10.1.0.0/16' },
    },
    {
      name: 'rejects a device that expects other subnets behind the gateway in IKEv2',
      device: { local: ['10.1.0.0/16'], remote: ['172.16.0.0/12'] },
      version: 'v2',
      initiator: 'gateway',
      want: { ok: false, detail: 'gateway local subnets 10.0.0.0/16 do not overlap device remote subnets 172.16.0.0/12' },
    },
    {
      name: 'narrows in IKEv1 as charon does when the gateway initiates wider than the device allows',
      device: { local: ['10.1.1.0/24'], remote: ['10.0.0.0/16'] },
      version: 'v1',
      initiator: 'gateway',
      want: { ok: true, local: ['10.0.0.0/16'], remote: ['10.1.1.0/24'], narrowed: true },
    },
    {
      name: 'accepts a narrower device proposal in IKEv1 when the gateway covers it',
      device: { local: ['10.1.1.0/24'], remote: ['10.0.0.0/16'] },
      version: 'v1',
      initiator: 'device',
      want: { ok: true, local: ['10.0.0.0/16'], remote: ['10.1.1.0/24'], narrowed: true },
    },
    {
      name: 'narrows a wider device proposal in IKEv1 to what the gateway allows',
      device: { local: ['10.0.0.0/8'], remote: ['10.0.0.0/16'] },
      version: 'v1',
      initiator: 'device',
      want: { ok: true, local: ['10.0.0.0/16'], remote: ['10.1.0.0/16'], narrowed: false },
    },
    {
      name: 'rejects disjoint subnets in IKEv1',
      device: { local: ['192.168.0.0/24'], remote: ['10.0.0.0/16'] },
      version: 'v1',
      initiator: 'gateway',
      want: { ok: false, detail: 'device local subnets 192.168.0.0/24 do not overlap gateway remote subnets 10.1.0.0/16' },
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(agreeSelectors(gw, c.device, c.version, c.initiator), c.want));
});
