// The filter names each Describe action accepts, checked against the names EC2's API reference
// lists for it, as the EC2 model in @aws-sdk/client-ec2 carries that documentation (the `Filters`
// member's doc comment of each request). A filter EC2 documents later makes this test fail.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { customerGatewayFilters } from './actions/DescribeCustomerGateways.ts';
import { vpnConnectionFilters } from './actions/DescribeVpnConnections.ts';
import { vpnGatewayFilters } from './actions/DescribeVpnGateways.ts';

const require = createRequire(import.meta.url);
const models = join(dirname(require.resolve('@aws-sdk/client-ec2/package.json')), 'dist-types', 'models');

/** The `<code>name</code> - ` entries of a request interface's doc comments (`tag:<key>` as written there). */
function documentedFilters(request: string): string[] {
  for (const file of readdirSync(models).filter((f) => f.endsWith('.d.ts'))) {
    const text = readFileSync(join(models, file), 'utf8');
    const start = text.indexOf(`export interface ${request} {`);
    if (start < 0) continue;
    const body = text.slice(start, text.indexOf('\n}', start));
    const names = [...body.matchAll(/<code>([a-z][a-z0-9.-]*)<\/code>(:<key>)? - /g)].map((m) => m[1] + (m[2] ?? ''));
    return [...new Set(names)].sort();
  }
  throw new Error(`${request} is not in the SDK's models`);
}

/** Accepted beyond today's reference: `tag-value`, which older references documented, and `category` (connections), kept from before. */
const FORMER = ['tag-value', 'category'];

describe("the Describe filters against EC2's API reference", () => {
  for (const [request, engine] of [
    ['DescribeVpnConnectionsRequest', vpnConnectionFilters],
    ['DescribeVpnGatewaysRequest', vpnGatewayFilters],
    ['DescribeCustomerGatewaysRequest', customerGatewayFilters],
  ] as const) {
    it(`${request.replace('Request', '')} accepts every filter name the reference lists, and no other but the former ones`, () => {
      const documented = documentedFilters(request);
      assert.ok(documented.includes('tag:<key>') && documented.includes('tag-key'), `${request}: ${documented.join(' ')}`);
      assert.deepEqual([...engine.names].filter((n) => !FORMER.includes(n)).sort(), documented);
    });
  }

  it('reads the twelve names the reference lists for DescribeVpnConnections', () => {
    assert.deepEqual(documentedFilters('DescribeVpnConnectionsRequest'), [
      'bgp-asn',
      'customer-gateway-configuration',
      'customer-gateway-id',
      'option.static-routes-only',
      'route.destination-cidr-block',
      'state',
      'tag-key',
      'tag:<key>',
      'transit-gateway-id',
      'type',
      'vpn-connection-id',
      'vpn-gateway-id',
    ]);
  });
});
