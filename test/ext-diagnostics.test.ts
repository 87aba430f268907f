// Tunnel history, diagnostics, dry negotiations and the event stream of the sitevpn extension
// API (signed with the Huawei SDK's signer), and `sitevpn events --follow`.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { connectionBody, gatewayPair } from './support/fixtures.ts';
import { send, signHuawei } from './support/huawei-raw.ts';
import { eventually, startTestServer, TEST_AK, TEST_PROJECT, TEST_SK, type TestServer } from './support/server.ts';

let server: TestServer;
before(async () => (server = await startTestServer({ simulatedDelayMs: 10 })));
after(() => server.close());

interface Key {
  ak: string;
  sk: string;
  project: string;
}
const ADMIN: Key = { ak: TEST_AK, sk: TEST_SK, project: TEST_PROJECT };

function signed(method: string, path: string, data?: unknown, query?: Record<string, string>, key = ADMIN) {
  return signHuawei({
    endpoint: server.endpoint,
    method,
    path: `/sitevpn/v1/projects/${key.project}${path}`,
    data,
    query,
    ak: key.ak,
    sk: key.sk,
  });
}

function ext(method: string, path: string, data?: unknown, query?: Record<string, string>, key = ADMIN) {
  return send(signed(method, path, data, query, key));
}

async function statusOf(id: string): Promise<string> {
  return (await server.huawei.call('GET', `/vpn-connection/${id}`)).body.vpn_connection.status;
}

async function activeConnection(extra: Record<string, unknown> = {}) {
  const { gateway, cgw } = await gatewayPair(server);
  const id = (await server.huawei.call('POST', '/vpn-connection', connectionBody(gateway, cgw, extra))).body.vpn_connection.id as string;
  await eventually(async () => (await statusOf(id)) === 'ACTIVE');
  return { id, cgw };
}

async function reset(id: string): Promise<void> {
  assert.equal((await server.huawei.call('POST', `/vpn-connection/${id}/reset`)).status, 200);
  await eventually(async () => (await statusOf(id)) === 'ACTIVE');
}

/** The first line of a streamed answer, read with fetch and then aborted. */
async function firstLine(url: string, headers: Record<string, string>, trigger: () => Promise<void>): Promise<any> {
  const abort = new AbortController();
  const { host, ...rest } = headers;
  const res = await fetch(url, { headers: rest, signal: abort.signal });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/x-ndjson; charset=utf-8');
  await trigger();
  const reader = res.body!.getReader();
  let text = '';
  while (!text.includes('\n')) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  abort.abort();
  return JSON.parse(text.slice(0, text.indexOf('\n')));
}

describe('GET vpn-connections/{id}/history', () => {
  it('lists every transition oldest first with time, kind, detail and tunnel id', async () => {
    const { id } = await activeConnection();
    await reset(id);
    const r = await ext('GET', `/vpn-connections/${id}/history`);
    assert.equal(r.status, 200);
    const history = r.json.history;
    assert.deepEqual(
      history.map((h: { kind: string }) => h.kind),
      ['ike-up', 'ike-up'],
    );
    const tunnelId = history[0].tunnel_id;
    for (const h of history) {
      assert.deepEqual(Object.keys(h).sort(), ['detail', 'kind', 'time', 'tunnel_id']);
      assert.equal(h.tunnel_id, tunnelId);
      assert.match(h.detail, /^IKEv2 SA established with 198\.51\.100\.\d+: /);
    }
    assert.ok(history[0].time <= history[1].time);
    const newest = await ext('GET', `/vpn-connections/${id}/history`, undefined, { limit: '1' });
    assert.deepEqual(newest.json.history, history.slice(-1));
  });

  it('refuses a limit outside 1 to 1000 and answers VPN.0004 for an unknown connection', async () => {
    const { id } = await activeConnection();
    const r = await ext('GET', `/vpn-connections/${id}/history`, undefined, { limit: '0' });
    assert.deepEqual(
      [r.status, r.json.error_code, r.json.error_msg],
      [400, 'VPN.0001', 'invalid request: limit must be an integer from 1 to 1000'],
    );
    const missing = await ext('GET', '/vpn-connections/5a8c6b39-0000-4000-8000-000000000000/history');
    assert.deepEqual(
      [missing.status, missing.json.error_msg],
      [404, 'resource not found: vpn connection 5a8c6b39-0000-4000-8000-000000000000 does not exist'],
    );
  });
});

describe('GET vpn-connections/{id}/diagnostics', () => {
  it('flags MD5, 3DES and DH group 2 as weak and reports no drift from a mirroring device', async () => {
    const { id } = await activeConnection({
      ikepolicy: { authentication_algorithm: 'md5', encryption_algorithm: '3des', dh_group: 'group2' },
      ipsecpolicy: { authentication_algorithm: 'sha1', encryption_algorithm: 'aes-128', pfs: 'group14' },
    });
    const r = await ext('GET', `/vpn-connections/${id}/diagnostics`);
    assert.equal(r.status, 200);
    assert.equal(r.json.status, 'ACTIVE');
    const [t] = r.json.tunnels;
    assert.equal(t.ike_status, 'UP');
    assert.equal(t.provisioning, 'available');
    assert.deepEqual(t.negotiated, {
      ike_version: 'v2',
      phase1: { encryption: '3des-cbc', integrity: 'md5', prf: 'md5', dh_group: 2 },
      phase2: { encryption: 'aes128-cbc', integrity: 'sha1', pfs_group: 14 },
    });
    assert.deepEqual(t.weak, [
      'phase 1 encryption 3des-cbc is weak: 64-bit block cipher (Sweet32); prefer aes256-gcm16 or aes256-cbc',
      'phase 1 integrity md5 is weak: MD5 collisions are practical; prefer sha2-256 or stronger',
      'phase 1 DH group 2 is weak: 1024-bit MODP; prefer group 14, 19 or stronger',
      'phase 2 integrity sha1 is weak: SHA-1 is deprecated; prefer sha2-256 or stronger',
    ]);
    assert.deepEqual(t.drift, []);
    assert.deepEqual(t.selectors, { local: ['0.0.0.0/0'], remote: ['192.168.0.0/24'] });
  });

  it('reports drift when the device narrows the traffic selectors', async () => {
    const { id, cgw } = await activeConnection();
    await ext('PUT', `/customer-gateways/${cgw.id}/device-profile`, {
      device_profile: {
        ike_versions: ['v2'],
        ike_proposals: [{ encryption: ['aes128-cbc'], integrity: ['sha2-256'], dh_groups: [15] }],
        esp_proposals: [{ encryption: ['aes128-cbc'], integrity: ['sha2-256'], pfs_groups: [15] }],
        subnets: ['192.168.0.0/25'],
      },
    });
    await reset(id);
    const [t] = (await ext('GET', `/vpn-connections/${id}/diagnostics`)).json.tunnels;
    assert.deepEqual(t.drift, ['traffic selectors narrowed to 0.0.0.0/0 === 192.168.0.0/25 (configured 0.0.0.0/0 === 192.168.0.0/24)']);
  });

  it('shows the failure reason and no negotiated values for a failed tunnel', async () => {
    const { id, cgw } = await activeConnection();
    await ext('PUT', `/customer-gateways/${cgw.id}/device-profile`, {
      device_profile: {
        ike_versions: ['v1'],
        ike_proposals: [{ encryption: ['aes128-cbc'], integrity: ['sha1'], dh_groups: [14] }],
        esp_proposals: [{ encryption: ['aes128-cbc'], integrity: ['sha1'], pfs_groups: [] }],
      },
    });
    await server.huawei.call('POST', `/vpn-connection/${id}/reset`);
    await eventually(async () => (await statusOf(id)) === 'ERROR');
    const r = (await ext('GET', `/vpn-connections/${id}/diagnostics`)).json;
    assert.equal(r.status, 'ERROR');
    const [t] = r.tunnels;
    assert.deepEqual([t.ike_status, t.provisioning, t.negotiated, t.weak, t.drift], ['DOWN', 'failed', null, [], []]);
    assert.equal(t.reason, 'phase 1 NO_PROPOSAL_CHOSEN: no common IKE version (gateway allows v2, device allows v1)');
  });
});

describe('POST vpn-connections/{id}/dry-negotiation', () => {
  const disjoint = {
    ike_versions: ['v2'],
    ike_proposals: [{ encryption: ['sm4-cbc'], integrity: ['sm3'], dh_groups: [21] }],
    esp_proposals: [{ encryption: ['sm4-cbc'], integrity: ['sm3'], pfs_groups: [] }],
  };

  it('tells why a posted profile would fail and changes nothing', async () => {
    const { id, cgw } = await activeConnection();
    const historyBefore = (await ext('GET', `/vpn-connections/${id}/history`)).json.history;
    const r = await ext('POST', `/vpn-connections/${id}/dry-negotiation`, { device_profile: disjoint });
    assert.equal(r.status, 200);
    assert.equal(r.json.device_profile, 'posted');
    const [t] = r.json.tunnels;
    assert.deepEqual([t.outcome, t.notify, t.phase, t.initiator], ['failure', 'NO_PROPOSAL_CHOSEN', 1, 'gateway']);
    assert.match(t.reason, /^phase 1 NO_PROPOSAL_CHOSEN: /);
    assert.ok(t.log.length > 0);
    assert.equal(await statusOf(id), 'ACTIVE');
    assert.equal((await ext('GET', `/customer-gateways/${cgw.id}/device-profile`)).status, 404);
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual((await ext('GET', `/vpn-connections/${id}/history`)).json.history, historyBefore);
  });

  it('negotiates with the stored profile, or with none, when nothing is posted', async () => {
    const { id } = await activeConnection();
    const r = await ext('POST', `/vpn-connections/${id}/dry-negotiation`);
    assert.equal(r.status, 200);
    assert.equal(r.json.device_profile, 'none');
    const [t] = r.json.tunnels;
    assert.equal(t.outcome, 'success');
    assert.deepEqual(t.negotiated, {
      ike_version: 'v2',
      phase1: { encryption: 'aes128-cbc', integrity: 'sha2-256', prf: 'sha2-256', dh_group: 15 },
      phase2: { encryption: 'aes128-cbc', integrity: 'sha2-256', pfs_group: 15 },
    });
    assert.deepEqual([t.narrowed, t.weak, t.drift], [false, [], []]);
  });

  it('lets the device initiate, and says so when it would not', async () => {
    const { id } = await activeConnection();
    const r = await ext('POST', `/vpn-connections/${id}/dry-negotiation`, {
      initiator: 'device',
      device_profile: { ...disjoint, initiates: false },
    });
    const [t] = r.json.tunnels;
    assert.deepEqual([t.initiator, t.outcome], ['device', 'idle']);
    assert.match(t.reason, /device does not initiate/);
  });

  it('validates the posted body', async () => {
    const { id } = await activeConnection();
    const bad = await ext('POST', `/vpn-connections/${id}/dry-negotiation`, { initiator: 'both' });
    assert.equal(bad.json.error_msg, 'invalid request: initiator must be one of gateway, device');
    const profile = await ext('POST', `/vpn-connections/${id}/dry-negotiation`, { device_profile: { ...disjoint, ike_versions: ['v9'] } });
    assert.equal(profile.json.error_msg, 'invalid request: device_profile.ike_versions.0 must be one of v1, v2');
  });
});

describe('GET events', () => {
  it('streams an event of the project as one JSON line', async () => {
    const { id } = await activeConnection();
    const s = signed('GET', '/events', undefined, { follow: 'true' });
    const line = await firstLine(s.url, s.headers, async () => {
      await server.huawei.call('POST', `/vpn-connection/${id}/reset`);
    });
    assert.equal(line.vpn_connection_id, id);
    assert.equal(line.kind, 'ike-up');
    assert.equal(line.tunnel_status, 'UP');
    assert.equal(line.status, 'ACTIVE');
    assert.deepEqual(Object.keys(line).sort(), ['detail', 'kind', 'status', 'time', 'tunnel_id', 'tunnel_status', 'vpn_connection_id']);
  });

  it('never streams another tenant the events of this one', async () => {
    const { id } = await activeConnection();
    const other = await server.app.services.tenants.createTenant('us-east-1');
    const key: Key = { ak: other.key.accessKeyId, sk: other.key.secret, project: other.project.id };
    const ctx = {
      tenantId: other.tenant.id,
      projectId: other.project.id,
      accessKeyId: key.ak,
      policy: 'admin' as const,
      idStyle: 'uuid' as const,
      requestId: 't',
    };
    const gw = await server.app.services.gateways.create(ctx, { name: 'other' });
    const cgw = await server.app.services.customerGateways.create(ctx, { name: 'other', idValue: '203.0.113.77' });
    const s = signed('GET', '/events', undefined, { follow: 'true' }, key);
    let theirs = '';
    const line = await firstLine(s.url, s.headers, async () => {
      await server.huawei.call('POST', `/vpn-connection/${id}/reset`);
      await eventually(async () => (await statusOf(id)) === 'ACTIVE');
      const body = connectionBody(gw, cgw);
      const created = await send(
        signHuawei({
          endpoint: server.endpoint,
          method: 'POST',
          path: `/v5/${key.project}/vpn-connection`,
          data: body,
          ak: key.ak,
          sk: key.sk,
        }),
      );
      theirs = created.json.vpn_connection.id;
    });
    assert.equal(line.vpn_connection_id, theirs);
  });

  it('lists the newest events of the project without follow', async () => {
    const { id } = await activeConnection();
    await reset(id);
    const r = await ext('GET', '/events', undefined, { limit: '1000' });
    assert.equal(r.status, 200);
    const mine = r.json.events.filter((e: { vpn_connection_id: string }) => e.vpn_connection_id === id);
    assert.deepEqual(
      mine.map((e: { kind: string }) => e.kind),
      ['ike-up', 'ike-up'],
    );
    const one = await ext('GET', '/events', undefined, { limit: '1', vpn_connection_id: id });
    assert.deepEqual(one.json.events, mine.slice(-1));
  });

  it('refuses a follow value other than true or false', async () => {
    const r = await ext('GET', '/events', undefined, { follow: 'yes' });
    assert.deepEqual([r.status, r.json.error_msg], [400, 'invalid request: follow must be true or false']);
  });
});

describe('sitevpn events --follow', () => {
  it('prints one line per event as it happens', async () => {
    const { id } = await activeConnection();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'events', '--follow'], {
      env: {
        ...process.env,
        SITEVPN_ENDPOINT: server.endpoint,
        SITEVPN_ACCESS_KEY_ID: TEST_AK,
        SITEVPN_SECRET_ACCESS_KEY: TEST_SK,
        SITEVPN_PROJECT_ID: TEST_PROJECT,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    try {
      // The child needs a moment to start and connect: reset until a line shows up.
      await eventually(async () => {
        if (stdout.includes('\n')) return true;
        if (child.exitCode !== null) throw new Error(`the CLI exited: ${stderr}`);
        if ((await statusOf(id)) === 'ACTIVE') await server.huawei.call('POST', `/vpn-connection/${id}/reset`);
        await new Promise((r) => setTimeout(r, 200));
        return false;
      }, 20_000);
      const first = stdout.split('\n')[0];
      assert.match(
        first,
        new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z  ${id}  tunnel [0-9a-f-]{36}  ike-up \\[ACTIVE\\]: IKEv2 SA established with `),
      );
    } finally {
      child.kill('SIGTERM');
    }
  });
});
