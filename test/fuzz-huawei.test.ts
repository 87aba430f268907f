// Property-based fuzzing of the Huawei VPN v5 dialect (/v5) and the sitevpn extension API
// (/sitevpn/v1) through the real server: valid, signed create and update requests with their
// JSON bodies, query parameters and resource ids mutated. Every answer must be below 500 and
// arrive, every error must be Huawei's JSON with X-Request-Id, and a rejected request must leave
// every table of the database as it was. FUZZ_RUNS=<n> for a longer run, FUZZ_SEED=<n> to replay.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it, type TestContext } from 'node:test';
import fc from 'fast-check';
import { connectionBody, gatewayPair } from './support/fixtures.ts';
import { FuzzHarness, fuzz, huaweiSigned, pct } from './support/fuzz.ts';
import { bodyOps, mutateBody, mutateQuery, queryOp } from './support/fuzz-json.ts';
import { TEST_PROJECT } from './support/server.ts';

const VPC = 'cb4a631d-1b2c-4d3e-8f40-ca3fa348c36c';
const SUBNET = 'f5741286-5a6b-4c7d-8e9f-2c82bd9ee114';

interface Base {
  method: 'GET' | 'POST' | 'PUT';
  /** Under /v5/{project} or /sitevpn/v1/projects/{project}; `{id}` marks the resource id. */
  api: 'v5' | 'ext';
  path: string;
  id?: string;
  body?: unknown;
  query?: [string, string][];
}

let h: FuzzHarness;
let bases: Base[];

before(async () => {
  h = await FuzzHarness.start();
  const { gateway, cgw } = await gatewayPair(h.server);
  const created = await h.server.huawei.call('POST', '/vpn-connection', connectionBody(gateway, cgw, { name: 'fuzz-base' }));
  if (created.status !== 201) throw new Error(`setup failed: ${created.errorMsg}`);
  const conn = created.body.vpn_connection.id as string;
  await h.settle();
  const ike = {
    ike_version: 'v2',
    encryption_algorithm: 'aes-256',
    authentication_algorithm: 'sha2-256',
    dh_group: 'group14',
    lifetime_seconds: 86400,
    dpd: { timeout: 15, interval: 30, msg: 'seq-hash-notify' },
  };
  const ipsec = {
    encryption_algorithm: 'aes-128',
    authentication_algorithm: 'sha2-256',
    pfs: 'group14',
    lifetime_seconds: 3600,
    transform_protocol: 'esp',
    encapsulation_mode: 'tunnel',
  };
  const profile = {
    ike_versions: ['v2'],
    ike_proposals: [{ encryption: ['aes256-cbc'], integrity: ['sha2-256'], dh_groups: [14] }],
    esp_proposals: [{ encryption: ['aes128-cbc'], integrity: ['sha2-256'], pfs_groups: [14] }],
    psk: 'Abcdefgh1234',
  };
  bases = [
    {
      method: 'POST',
      api: 'v5',
      path: '/vpn-gateways',
      body: {
        vpn_gateway: {
          name: 'gw-f',
          vpc_id: VPC,
          local_subnets: ['10.1.0.0/24'],
          connect_subnet: SUBNET,
          bgp_asn: 64512,
          flavor: 'Professional1',
          tags: [{ key: 'k', value: 'v' }],
        },
      },
    },
    {
      method: 'PUT',
      api: 'v5',
      path: '/vpn-gateways/{id}',
      id: gateway.id,
      body: { vpn_gateway: { name: 'gw-r', local_subnets: ['10.2.0.0/24'] } },
    },
    {
      method: 'POST',
      api: 'v5',
      path: '/customer-gateways',
      body: {
        customer_gateway: { name: 'cgw-f', id_type: 'ip', id_value: '198.51.100.77', bgp_asn: 65001, tags: [{ key: 'k', value: 'v' }] },
      },
    },
    { method: 'PUT', api: 'v5', path: '/customer-gateways/{id}', id: cgw.id, body: { customer_gateway: { name: 'cgw-r' } } },
    {
      method: 'POST',
      api: 'v5',
      path: '/vpn-connection',
      body: connectionBody(gateway, cgw, {
        name: 'c-f',
        style: 'policy',
        ikepolicy: ike,
        ipsecpolicy: ipsec,
        policy_rules: [{ rule_index: 1, source: '10.1.0.0/24', destination: ['192.168.0.0/24'] }],
        tags: [{ key: 'k', value: 'v' }],
      }),
    },
    {
      method: 'PUT',
      api: 'v5',
      path: '/vpn-connection/{id}',
      id: conn,
      body: {
        vpn_connection: {
          name: 'c-r',
          psk: 'Abcdefgh5678',
          peer_subnets: ['192.168.1.0/24'],
          ikepolicy: { lifetime_seconds: 7200 },
          ipsecpolicy: { pfs: 'group19' },
        },
      },
    },
    {
      method: 'POST',
      api: 'v5',
      path: '/vpn-connection/{id}/peer-configuration/export',
      id: conn,
      body: { vendor: 'strongswan', type: 'swanctl', model: 'any', version: '5.9' },
    },
    {
      method: 'GET',
      api: 'v5',
      path: '/vpn-connection',
      query: [
        ['limit', '10'],
        ['vgw_id', gateway.id],
        ['marker', conn],
      ],
    },
    { method: 'GET', api: 'v5', path: '/vpn-connection/{id}/log', id: conn, query: [['limit', '5']] },
    { method: 'PUT', api: 'ext', path: '/customer-gateways/{id}/device-profile', id: cgw.id, body: profile },
    {
      method: 'POST',
      api: 'ext',
      path: '/vpn-connections/{id}/dry-negotiation',
      id: conn,
      body: { initiator: 'device', device_profile: profile },
    },
    { method: 'POST', api: 'ext', path: '/vpn-connections/{id}/faults', id: conn, body: { fault: 'peer-reachable', tunnel_index: 0 } },
    { method: 'GET', api: 'ext', path: '/vpn-connections/{id}/history', id: conn, query: [['limit', '5']] },
  ];
});
after(() => h.close());
// What the cases were answered, so a run shows they reach the handlers and not only the checks in front.
afterEach((t) => (t as TestContext).diagnostic(`answers: ${h.takeStats()}`));

const idMutation = fc.option(
  fc.oneof(
    fc.constantFrom('', '..', '.', '%2F', '00000000-0000-0000-0000-000000000000', 'vpn-0123456789abcdef0', ' ', 'a'.repeat(200)),
    fc.string({ unit: 'grapheme', maxLength: 40 }),
  ),
  { nil: undefined, freq: 4 },
);

function prefix(api: Base['api'], project = TEST_PROJECT): string {
  return api === 'v5' ? `/v5/${project}` : `/sitevpn/v1/projects/${project}`;
}

describe('fuzzing the Huawei VPN v5 dialect and the extension API', () => {
  it('answers every mutated JSON body below 500, in Huawei format, without writing on a rejection', async () => {
    const withBody = () => bases.filter((b) => b.body !== undefined);
    await fuzz(fc.record({ base: fc.nat(), ops: bodyOps }), 60, async ({ base, ops }) => {
      const b = withBody()[base % withBody().length];
      const path = `${prefix(b.api)}${b.path.replace('{id}', b.id ?? '')}`;
      const req = huaweiSigned({ endpoint: h.endpoint, method: b.method, path, body: mutateBody(b.body as never, ops) });
      await h.exercise('huawei', req);
    });
  });

  it('answers mutated query parameters and resource ids below 500, in Huawei format, without writing on a rejection', async () => {
    const arb = fc.record({
      base: fc.nat(),
      query: fc.array(queryOp, { maxLength: 3 }),
      id: idMutation,
      project: fc.option(fc.constantFrom('ffffffffffffffffffffffffffffffff', 'x', TEST_PROJECT.toUpperCase()), { nil: undefined, freq: 6 }),
    });
    await fuzz(arb, 60, async ({ base, query, id, project }) => {
      const b = bases[base % bases.length];
      const path = `${prefix(b.api, project)}${b.path.replace('{id}', id === undefined ? (b.id ?? '') : pct(id))}`;
      const body = b.body === undefined ? undefined : Buffer.from(JSON.stringify(b.body));
      const req = huaweiSigned({ endpoint: h.endpoint, method: b.method, path, query: mutateQuery(b.query ?? [], query), body });
      await h.exercise('huawei', req);
    });
  });

  it('refuses a pre-shared key with a control character wherever one is accepted', async () => {
    const arb = fc.record({
      where: fc.constantFrom('update', 'profile'),
      at: fc.nat(12),
      ch: fc.integer({ min: 0, max: 0x1f }).chain((c) => fc.constantFrom(c, 0x7f)),
    });
    await fuzz(arb, 20, async ({ where, at, ch }) => {
      const psk = `Abcdefgh1234`.slice(0, at) + String.fromCharCode(ch) + `Abcdefgh1234`.slice(at);
      const b = bases.find((x) => (where === 'update' ? x.path === '/vpn-connection/{id}' : x.path.endsWith('device-profile')))!;
      const body = where === 'update' ? { vpn_connection: { psk } } : { ...(b.body as object), psk };
      const req = huaweiSigned({
        endpoint: h.endpoint,
        method: b.method,
        path: `${prefix(b.api)}${b.path.replace('{id}', b.id!)}`,
        body: Buffer.from(JSON.stringify(body)),
      });
      const r = await h.exercise('huawei', req);
      assert.equal(
        r?.status,
        400,
        `a PSK with U+${ch.toString(16).padStart(4, '0')} answered ${r?.status}: ${r?.body.toString().slice(0, 200)}`,
      );
    });
  });

  it('answers an unknown access key exactly as a wrong secret key', async () => {
    const arb = fc.record({
      ak: fc.stringMatching(/^[A-Z0-9]{20}$/),
      sk: fc.string({ minLength: 1, maxLength: 40 }),
      api: fc.constantFrom('v5' as const, 'ext' as const),
    });
    await fuzz(arb, 10, async ({ ak, sk, api }) => {
      const path = api === 'v5' ? `${prefix(api)}/vpn-connection` : `${prefix(api)}/vpn-connections/${bases[5].id}/history`;
      const unknownKey = await h.exercise('huawei', huaweiSigned({ endpoint: h.endpoint, method: 'GET', path, ak, sk }));
      const wrongSecret = await h.exercise('huawei', huaweiSigned({ endpoint: h.endpoint, method: 'GET', path, sk: `${sk}x` }));
      const shape = (r: typeof unknownKey) => {
        const { request_id: _, ...rest } = JSON.parse(r!.body.toString());
        return { status: r!.status, ...rest };
      };
      assert.deepEqual(shape(unknownKey), shape(wrongSecret));
    });
  });

  it('refuses a repeated query parameter instead of taking one of its values', async () => {
    // The route code says a repeated parameter is refused (single()); a client must not be able
    // to smuggle a second value past a check of the first.
    const req = huaweiSigned({
      endpoint: h.endpoint,
      method: 'GET',
      path: `/v5/${TEST_PROJECT}/vpn-connection`,
      query: [
        ['limit', '1'],
        ['limit', '2'],
      ],
    });
    const r = await h.exercise('huawei', req);
    if (r?.status !== 400) throw new Error(`limit=1&limit=2 answered ${r?.status}: ${r?.body.toString('utf8').slice(0, 300)}`);
  });
});
