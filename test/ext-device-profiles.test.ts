// Device profiles through the sitevpn extension API (signed with the Huawei SDK's signer): storing,
// showing and deleting them, every validation rule, and what a profile does to the next
// negotiation as the Huawei API shows it. Also `sitevpn device-profile set`.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connectionBody, gatewayPair, testContext } from './support/fixtures.ts';
import { send, signHuawei } from './support/huawei-raw.ts';
import { eventually, startTestServer, TEST_AK, TEST_PROJECT, TEST_SK, type TestServer } from './support/server.ts';

let server: TestServer;
const files = mkdtempSync(join(tmpdir(), 'sitevpn-cli-'));

/** Runs the CLI in a child process (asynchronously: the server answers from this process). */
function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', ...args],
      { env: { ...process.env, ...env } },
      (err, stdout, stderr) => {
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}
before(async () => (server = await startTestServer({ simulatedDelayMs: 10 })));
after(async () => {
  await server.close();
  rmSync(files, { recursive: true, force: true });
});

function ext(method: string, path: string, data?: unknown, key = { ak: TEST_AK, sk: TEST_SK }) {
  return send(signHuawei({ endpoint: server.endpoint, method, path: `/sitevpn/v1/projects/${TEST_PROJECT}${path}`, data, ...key }));
}

const profilePath = (cgwId: string) => `/customer-gateways/${cgwId}/device-profile`;

const PROFILE = {
  ike_versions: ['v2'],
  ike_proposals: [{ encryption: ['aes256-cbc', 'aes128-cbc'], integrity: ['sha2-256'], dh_groups: [14, 19] }],
  esp_proposals: [{ encryption: ['aes256-gcm16'], integrity: [], pfs_groups: [14] }],
};

async function statusOf(id: string): Promise<string> {
  return (await server.huawei.call('GET', `/vpn-connection/${id}`)).body.vpn_connection.status;
}

async function activeConnection() {
  const { gateway, cgw } = await gatewayPair(server);
  const id = (await server.huawei.call('POST', '/vpn-connection', connectionBody(gateway, cgw))).body.vpn_connection.id as string;
  await eventually(async () => (await statusOf(id)) === 'ACTIVE');
  return { id, gateway, cgw };
}

async function logText(id: string): Promise<string> {
  return (await server.huawei.call('GET', `/vpn-connection/${id}/log`)).body.logs
    .map((l: { raw_message: string }) => l.raw_message)
    .join('\n');
}

describe('PUT, GET and DELETE customer-gateways/{id}/device-profile', () => {
  it('stores a profile with defaults filled in and shows it back without the pre-shared key', async () => {
    const { cgw } = await gatewayPair(server);
    const put = await ext('PUT', profilePath(cgw.id), {
      device_profile: { ...PROFILE, psk: 'Secret-123', dpd: { interval_seconds: 10, timeout_seconds: 2 } },
    });
    assert.equal(put.status, 200);
    assert.equal(put.headers.get('x-request-id'), put.json.request_id);
    const expected = { ...PROFILE, psk_set: true, initiates: true, reachable: true, dpd: { interval_seconds: 10, timeout_seconds: 2 } };
    assert.deepEqual(put.json, {
      customer_gateway_id: cgw.id,
      device_profile: expected,
      refreshed_connections: 0,
      request_id: put.json.request_id,
    });
    const got = await ext('GET', profilePath(cgw.id));
    assert.equal(got.status, 200);
    assert.deepEqual(got.json.device_profile, expected);
  });

  it('answers VPN.0004 for a customer gateway without a profile', async () => {
    const { cgw } = await gatewayPair(server);
    const r = await ext('GET', profilePath(cgw.id));
    assert.equal(r.status, 404);
    assert.deepEqual(r.json, {
      error_code: 'VPN.0004',
      error_msg: `resource not found: customer gateway ${cgw.id} has no device profile`,
      request_id: r.json.request_id,
    });
  });

  it('deletes a profile with 204, after which it is gone and a second delete is a 404', async () => {
    const { cgw } = await gatewayPair(server);
    await ext('PUT', profilePath(cgw.id), { device_profile: PROFILE });
    assert.equal((await ext('DELETE', profilePath(cgw.id))).status, 204);
    assert.equal((await ext('GET', profilePath(cgw.id))).status, 404);
    assert.equal((await ext('DELETE', profilePath(cgw.id))).status, 404);
  });

  it('answers VPN.0004 for an unknown customer gateway', async () => {
    const r = await ext('PUT', profilePath('5a8c6b39-0000-4000-8000-000000000000'), { device_profile: PROFILE });
    assert.equal(r.status, 404);
    assert.equal(r.json.error_msg, 'resource not found: customer gateway 5a8c6b39-0000-4000-8000-000000000000 does not exist');
  });

  it('refuses a read-only key with VPN.0003 and a bad signature with APIGW.0301', async () => {
    const { cgw } = await gatewayPair(server);
    const key = await server.app.services.tenants.createKey(undefined, 'read-only', 'reader');
    const r = await ext('PUT', profilePath(cgw.id), { device_profile: PROFILE }, { ak: key.accessKeyId, sk: key.secret });
    assert.equal(r.status, 403);
    assert.deepEqual(
      [r.json.error_code, r.json.error_msg],
      ['VPN.0003', 'Authentication failed: You are not authorized to perform this operation: SetDeviceProfile'],
    );
    const bad = await ext('GET', profilePath(cgw.id), undefined, { ak: TEST_AK, sk: 'not-the-secret' });
    assert.equal(bad.status, 401);
    assert.deepEqual(
      [bad.json.error_code, bad.json.error_msg],
      ['APIGW.0301', 'Incorrect IAM authentication information: verify aksk signature fail'],
    );
  });

  it('answers APIGW.0101 for a path the extension API does not have', async () => {
    const r = await ext('GET', '/no-such-thing');
    assert.equal(r.status, 404);
    assert.equal(r.json.error_code, 'APIGW.0101');
  });
});

describe('device profile validation', () => {
  const ALGS = 'aes128-cbc, aes192-cbc, aes256-cbc, aes128-gcm16, aes256-gcm16, 3des-cbc, sm4-cbc';
  const GROUPS = '1, 2, 5, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24';
  const ike = PROFILE.ike_proposals[0];
  const esp = PROFILE.esp_proposals[0];
  const cases: [string, unknown, string][] = [
    ['an empty object', {}, 'device_profile is required'],
    [
      'a missing field',
      { ike_proposals: PROFILE.ike_proposals, esp_proposals: PROFILE.esp_proposals },
      'device_profile.ike_versions is required',
    ],
    ['an unknown field', { ...PROFILE, colour: 'red' }, 'device_profile.colour is not a valid field'],
    ['an unknown IKE version', { ...PROFILE, ike_versions: ['v3'] }, 'device_profile.ike_versions.0 must be one of v1, v2'],
    ['no IKE version', { ...PROFILE, ike_versions: [] }, 'device_profile.ike_versions needs at least 1 item(s)'],
    [
      'a repeated IKE version',
      { ...PROFILE, ike_versions: ['v2', 'v2'] },
      'device_profile.ike_versions must be a list of IKE versions without repeats',
    ],
    ['no IKE proposal', { ...PROFILE, ike_proposals: [] }, 'device_profile.ike_proposals needs at least 1 item(s)'],
    [
      'eleven IKE proposals',
      { ...PROFILE, ike_proposals: Array(11).fill(ike) },
      'device_profile.ike_proposals has too many items (at most 10)',
    ],
    [
      'a Huawei cipher name',
      { ...PROFILE, ike_proposals: [{ ...ike, encryption: ['aes-128'] }] },
      `device_profile.ike_proposals.0.encryption.0 must be one of ${ALGS}`,
    ],
    [
      'no IKE integrity',
      { ...PROFILE, ike_proposals: [{ ...ike, integrity: [] }] },
      'device_profile.ike_proposals.0.integrity needs at least 1 item(s)',
    ],
    [
      'an unknown integrity',
      { ...PROFILE, ike_proposals: [{ ...ike, integrity: ['sha3'] }] },
      'device_profile.ike_proposals.0.integrity.0 must be one of sha1, sha2-256, sha2-384, sha2-512, md5, sm3',
    ],
    [
      'an unknown DH group',
      { ...PROFILE, ike_proposals: [{ ...ike, dh_groups: [3] }] },
      `device_profile.ike_proposals.0.dh_groups.0 must be one of ${GROUPS}`,
    ],
    [
      'a DH group as text',
      { ...PROFILE, ike_proposals: [{ ...ike, dh_groups: ['group14'] }] },
      `device_profile.ike_proposals.0.dh_groups.0 must be one of ${GROUPS}`,
    ],
    [
      'a missing PFS list',
      { ...PROFILE, esp_proposals: [{ encryption: ['aes128-cbc'], integrity: ['sha1'] }] },
      'device_profile.esp_proposals.0.pfs_groups is required',
    ],
    [
      'a CBC ESP cipher without integrity',
      { ...PROFILE, esp_proposals: [{ ...esp, encryption: ['aes128-cbc'] }] },
      'device_profile.esp_proposals.0.integrity needs at least 1 item(s) unless every cipher is AES-GCM',
    ],
    ['a short pre-shared key', { ...PROFILE, psk: 'short' }, 'device_profile.psk must be a string of 8 to 128 characters'],
    ['an unknown identity type', { ...PROFILE, id_type: 'dn' }, 'device_profile.id_type must be one of ip, fqdn'],
    [
      'an FQDN identity of type ip',
      { ...PROFILE, id_type: 'ip', id_value: 'vpn.example.com' },
      'device_profile.id_value must be an IPv4 address when id_type is ip',
    ],
    ['an fqdn identity without a value', { ...PROFILE, id_type: 'fqdn' }, 'device_profile.id_value is required when id_type is fqdn'],
    ['an empty gateway identity', { ...PROFILE, gateway_id: '' }, 'device_profile.gateway_id must be a string of 1 to 255 characters'],
    ['an unknown phase-1 mode', { ...PROFILE, phase1_mode: 'quick' }, 'device_profile.phase1_mode must be one of main, aggressive'],
    ['initiates as text', { ...PROFILE, initiates: 'yes' }, 'device_profile.initiates must be true or false'],
    ['reachable as a number', { ...PROFILE, reachable: 0 }, 'device_profile.reachable must be true or false'],
    [
      'a short DPD interval',
      { ...PROFILE, dpd: { interval_seconds: 5, timeout_seconds: 2 } },
      'device_profile.dpd.interval_seconds must be an integer from 10 to 3600',
    ],
    [
      'a long DPD timeout',
      { ...PROFILE, dpd: { interval_seconds: 10, timeout_seconds: 61 } },
      'device_profile.dpd.timeout_seconds must be an integer from 2 to 60',
    ],
    ['a DPD without timeout', { ...PROFILE, dpd: { interval_seconds: 10 } }, 'device_profile.dpd.timeout_seconds is required'],
    ['an invalid subnet', { ...PROFILE, subnets: ['10.0.0.0/33'] }, 'device_profile.subnets.0 must be a CIDR block such as 192.168.0.0/24'],
    ['no subnets', { ...PROFILE, subnets: [] }, 'device_profile.subnets needs at least 1 item(s)'],
  ];
  for (const [what, profile, message] of cases) {
    it(`refuses ${what} with VPN.0001 "${message}"`, async () => {
      const { cgw } = await gatewayPair(server);
      const body = what === 'an empty object' ? {} : { device_profile: profile };
      const r = await ext('PUT', profilePath(cgw.id), body);
      assert.equal(r.status, 400);
      assert.deepEqual([r.json.error_code, r.json.error_msg], ['VPN.0001', `invalid request: ${message}`]);
    });
  }

  it('refuses an empty body and a body that is not JSON', async () => {
    const { cgw } = await gatewayPair(server);
    const path = `/sitevpn/v1/projects/${TEST_PROJECT}${profilePath(cgw.id)}`;
    const empty = await send(signHuawei({ endpoint: server.endpoint, method: 'PUT', path, rawBody: '', ak: TEST_AK, sk: TEST_SK }));
    assert.equal(empty.json.error_msg, 'invalid request: the request body is empty');
    const broken = await send(
      signHuawei({ endpoint: server.endpoint, method: 'PUT', path, rawBody: '{"device_profile":', ak: TEST_AK, sk: TEST_SK }),
    );
    assert.equal(broken.json.error_msg, 'invalid request: the request body is not valid JSON');
  });
});

describe('what a device profile does to the tunnels', () => {
  it('leaves an established tunnel alone until a reset, which then goes ERROR with NO_PROPOSAL_CHOSEN', async () => {
    const { id, cgw } = await activeConnection();
    const disjoint = {
      ike_versions: ['v2'],
      ike_proposals: [{ encryption: ['sm4-cbc'], integrity: ['sm3'], dh_groups: [21] }],
      esp_proposals: [{ encryption: ['sm4-cbc'], integrity: ['sm3'], pfs_groups: [] }],
    };
    const put = await ext('PUT', profilePath(cgw.id), { device_profile: disjoint });
    assert.equal(put.json.refreshed_connections, 1);
    assert.equal(await statusOf(id), 'ACTIVE');
    // PENDING_UPDATE after a reset is asserted on a held data plane (huawei-connection-subresources);
    // here the simulator runs on real time, so only the outcome is certain.
    assert.equal((await server.huawei.call('POST', `/vpn-connection/${id}/reset`)).status, 200);
    await eventually(async () => (await statusOf(id)) === 'ERROR');
    assert.match(await logText(id), /NO_PROPOSAL_CHOSEN/);
    const connection = await server.app.services.connections.get(await testContext(server), id);
    assert.match(connection.tunnels[0].observed.provisioningReason ?? '', /^phase 1 NO_PROPOSAL_CHOSEN: /);
  });

  it('fails a reset with AUTHENTICATION_FAILED when the device holds another pre-shared key', async () => {
    const { id, cgw } = await activeConnection();
    const mirror = {
      ike_versions: ['v2'],
      ike_proposals: [{ encryption: ['aes128-cbc'], integrity: ['sha2-256'], dh_groups: [15] }],
      esp_proposals: [{ encryption: ['aes128-cbc'], integrity: ['sha2-256'], pfs_groups: [15] }],
      psk: 'Another-key-999',
    };
    await ext('PUT', profilePath(cgw.id), { device_profile: mirror });
    await server.huawei.call('POST', `/vpn-connection/${id}/reset`);
    await eventually(async () => (await statusOf(id)) === 'ERROR');
    assert.match(await logText(id), /AUTHENTICATION_FAILED/);
  });

  it('refreshes every connection using the customer gateway without a new generation', async () => {
    const { id, cgw } = await activeConnection();
    const ctx = await testContext(server);
    const other = await server.app.services.gateways.create(ctx, { name: 'gw2' });
    const second = (await server.huawei.call('POST', '/vpn-connection', connectionBody(other, cgw))).body.vpn_connection.id;
    await eventually(async () => (await statusOf(second)) === 'ACTIVE');
    const put = await ext('PUT', profilePath(cgw.id), { device_profile: PROFILE });
    assert.equal(put.json.refreshed_connections, 2);
    for (const cid of [id, second]) {
      const c = await server.app.services.connections.get(ctx, cid);
      assert.equal(c.tunnels[0].generation, 1);
      assert.equal(await statusOf(cid), 'ACTIVE');
    }
    assert.equal((await ext('DELETE', profilePath(cgw.id))).status, 204);
    assert.equal(await statusOf(id), 'ACTIVE');
  });
});

describe('sitevpn device-profile set', () => {
  it('stores the profile of a JSON file through the signed API', async () => {
    const { cgw } = await gatewayPair(server);
    const file = join(files, 'profile.json');
    writeFileSync(file, JSON.stringify({ ...PROFILE, initiates: false }));
    const run = await cli(['device-profile', 'set', cgw.id, '--file', file], {
      SITEVPN_ENDPOINT: server.endpoint,
      SITEVPN_ACCESS_KEY_ID: TEST_AK,
      SITEVPN_SECRET_ACCESS_KEY: TEST_SK,
      SITEVPN_PROJECT_ID: TEST_PROJECT,
    });
    assert.equal(run.stderr, '');
    assert.equal(run.stdout, `${cgw.id}: device profile set (0 connection(s) refreshed)\n`);
    assert.equal((await ext('GET', profilePath(cgw.id))).json.device_profile.initiates, false);
  });

  it('exits with the server error for an invalid profile', async () => {
    const { cgw } = await gatewayPair(server);
    const file = join(files, 'invalid.json');
    writeFileSync(file, JSON.stringify({ device_profile: { ...PROFILE, ike_versions: [] } }));
    const run = await cli([
      'device-profile',
      'set',
      cgw.id,
      '--file',
      file,
      '--endpoint',
      server.endpoint,
      '--access-key-id',
      TEST_AK,
      '--secret-access-key',
      TEST_SK,
      '--project-id',
      TEST_PROJECT,
    ]);
    assert.equal(run.code, 1);
    assert.equal(run.stderr, 'sitevpn: HTTP 400 VPN.0001: invalid request: device_profile.ike_versions needs at least 1 item(s)\n');
  });
});
