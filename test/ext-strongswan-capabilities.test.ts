// The extension API's data-plane capabilities with the strongSwan driver, against an in-memory
// fake charon (VICI over a unix socket): a dry run says plainly that strongSwan cannot do one,
// and diagnostics read the narrowing from the selectors charon installed, not from a simulator.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { StrongswanDriver } from '../src/dataplane/strongswan/driver.ts';
import { LINK_EVENTS } from '../src/dataplane/strongswan/link.ts';
import { FakeViciServer } from '../src/dataplane/strongswan/vici/fake-server.ts';
import { getSection, type ViciMessage } from '../src/dataplane/strongswan/vici/message.ts';
import { systemClock } from '../src/domain/ports.ts';
import { connectionBody, gatewayPair } from './support/fixtures.ts';
import { send, signHuawei } from './support/huawei-raw.ts';
import { eventually, startTestServer, TEST_AK, TEST_PROJECT, TEST_SK, type TestServer } from './support/server.ts';

const ok = { success: 'yes' };
/** conn name → its child's name, as load-conn gave them. */
const loaded = new Map<string, string>();

function rememberConn(req: ViciMessage) {
  for (const [name, conn] of req) {
    const children = getSection(conn as ViciMessage, 'children');
    if (children) loaded.set(name, [...children.keys()][0]);
  }
  return ok;
}

let fake: FakeViciServer;
let server: TestServer;

before(async () => {
  fake = await FakeViciServer.start({
    events: [...LINK_EVENTS, 'list-sa', 'list-conn'],
    commands: {
      'get-algorithms': () => 'unknown',
      'list-conns': () => ({}),
      'load-shared': () => ok,
      'load-conn': rememberConn,
      terminate: () => ok,
      initiate: () => ok,
      // Every loaded conn is up, its CHILD_SA narrowed to 10.10.0.0/24 === 192.168.0.0/25.
      'list-sas': (_req, ctx) => {
        for (const [name, child] of loaded) {
          ctx.emit('list-sa', {
            [name]: {
              uniqueid: '3',
              version: '2',
              state: 'ESTABLISHED',
              'local-host': '192.0.2.1',
              'remote-host': '198.51.100.1',
              initiator: 'yes',
              'encr-alg': 'AES_CBC',
              'encr-keysize': '128',
              'integ-alg': 'HMAC_SHA1_96',
              'prf-alg': 'PRF_HMAC_SHA1',
              'dh-group': 'MODP_1024',
              established: '1',
              'child-sas': {
                [`${child}-1`]: {
                  name: child,
                  uniqueid: '1',
                  state: 'INSTALLED',
                  'encr-alg': 'AES_CBC',
                  'encr-keysize': '128',
                  'integ-alg': 'HMAC_SHA2_256_128',
                  'local-ts': ['10.10.0.0/24'],
                  'remote-ts': ['192.168.0.0/25'],
                },
              },
            },
          });
        }
        return {};
      },
    },
  });
  const driver = new StrongswanDriver(systemClock, { viciUri: fake.uri, settleMs: 5, gcDelayMs: 60_000 });
  server = await startTestServer({}, { dataplane: driver });
});
after(async () => {
  await server.close();
  await fake.close();
});

function ext(method: string, path: string, data?: unknown) {
  return send(
    signHuawei({ endpoint: server.endpoint, method, path: `/sitevpn/v1/projects/${TEST_PROJECT}${path}`, data, ak: TEST_AK, sk: TEST_SK }),
  );
}

async function activeConnection(): Promise<string> {
  const { gateway, cgw } = await gatewayPair(server, { localSubnets: ['10.10.0.0/16'] });
  const created = await server.huawei.call('POST', '/vpn-connection', connectionBody(gateway, cgw));
  assert.equal(created.status, 201, created.errorMsg);
  const id = created.body.vpn_connection.id as string;
  await eventually(async () => (await server.huawei.call('GET', `/vpn-connection/${id}`)).body.vpn_connection.status === 'ACTIVE');
  return id;
}

describe('the extension API on the strongSwan data plane', () => {
  it('answers a dry negotiation with VPN.0562 saying strongSwan cannot do one, not with a simulated result', async () => {
    const id = await activeConnection();
    const r = await ext('POST', `/vpn-connections/${id}/dry-negotiation`, {});
    assert.deepEqual(
      [r.status, r.json.error_code, r.json.error_msg],
      [
        400,
        'VPN.0562',
        'The current gateway version does not support this feature: dry negotiation is not supported by the strongswan data plane',
      ],
    );
  });

  it('says it cannot dry-negotiate before looking the connection up', async () => {
    const r = await ext('POST', '/vpn-connections/5a8c6b39-0000-4000-8000-000000000000/dry-negotiation', {});
    assert.deepEqual([r.status, r.json.error_code], [400, 'VPN.0562']);
  });

  it('reports as narrowed the selectors charon installed and flags the weak algorithms it negotiated', async () => {
    const id = await activeConnection();
    const r = await ext('GET', `/vpn-connections/${id}/diagnostics`);
    assert.equal(r.status, 200);
    const [t] = r.json.tunnels;
    assert.deepEqual(t.selectors, { local: ['10.10.0.0/24'], remote: ['192.168.0.0/25'] });
    assert.deepEqual(t.negotiated.phase1, { encryption: 'aes128-cbc', integrity: 'sha1', prf: 'sha1', dh_group: 2 });
    assert.deepEqual(t.weak, [
      'phase 1 integrity sha1 is weak: SHA-1 is deprecated; prefer sha2-256 or stronger',
      'phase 1 DH group 2 is weak: 1024-bit MODP; prefer group 14, 19 or stronger',
    ]);
    assert.equal(
      t.drift.at(-1),
      'traffic selectors narrowed to 10.10.0.0/24 === 192.168.0.0/25 (configured 10.10.0.0/16 === 192.168.0.0/24)',
    );
  });
});
