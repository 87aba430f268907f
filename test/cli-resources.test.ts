// The `sitevpn` CLI as a separate process against a real server: every resource command's --json
// output is exactly what the API answers, exit codes are the documented ones, the secret key never
// appears in any output.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type CliResult, cliEnv, runCli } from './support/cli-process.ts';
import { send, signHuawei } from './support/huawei-raw.ts';
import { startTestServer, TEST_AK, TEST_PROJECT, TEST_SK, type TestServer } from './support/server.ts';

let server: TestServer;
let home: string;
const outputs: CliResult[] = [];

before(async () => {
  server = await startTestServer();
  home = mkdtempSync(join(tmpdir(), 'sitevpn-cli-home-'));
});
after(async () => {
  await server.close();
  rmSync(home, { recursive: true, force: true });
});

const keys = () => ({
  HOME: home,
  XDG_CONFIG_HOME: join(home, 'config'),
  SITEVPN_ENDPOINT: server.endpoint,
  SITEVPN_ACCESS_KEY_ID: TEST_AK,
  SITEVPN_SECRET_ACCESS_KEY: TEST_SK,
  SITEVPN_PROJECT_ID: TEST_PROJECT,
});

async function cli(args: string[], extra: Record<string, string | undefined> = {}): Promise<CliResult> {
  const result = await runCli(args, cliEnv({ ...keys(), ...extra }));
  outputs.push(result);
  return result;
}

async function json(args: string[]): Promise<any> {
  const r = await cli([...args, '--json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

// biome-ignore lint/suspicious/noExplicitAny: API answers, compared whole.
const withoutRequestId = ({ request_id: _, ...rest }: Record<string, unknown>): any => rest;

async function huawei(method: string, path: string, data?: unknown) {
  const r = await server.huawei.call(method, path, data);
  return withoutRequestId(r.body);
}

async function ext(path: string) {
  const r = await send(
    signHuawei({ endpoint: server.endpoint, method: 'GET', path: `/sitevpn/v1/projects/${TEST_PROJECT}${path}`, ak: TEST_AK, sk: TEST_SK }),
  );
  return withoutRequestId(r.json);
}

/** Through the CLI's own device-profile command. */
async function setProfile(cgw: string, profile: unknown): Promise<void> {
  const file = join(home, `profile-${cgw}.json`);
  writeFileSync(file, JSON.stringify(profile));
  const r = await cli(['device-profile', 'set', cgw, '--file', file]);
  assert.deepEqual(r, { code: 0, stdout: `${cgw}: device profile set (0 connection(s) refreshed)\n`, stderr: '' });
}

const GATEWAY = [
  '--vpc-id',
  '11111111-2222-3333-4444-555555555555',
  '--local-subnet',
  '10.0.0.0/24',
  '--connect-subnet',
  '11111111-2222-3333-4444-666666666666',
];

async function gatewayAndCgw(ip: string): Promise<{ vgw: string; cgw: string }> {
  const vgw = (await json(['gateways', 'create', '--name', `gw-${ip}`, ...GATEWAY])).id;
  const cgw = (await json(['customer-gateways', 'create', '--name', `cgw-${ip}`, '--ip', ip])).id;
  return { vgw, cgw };
}

describe('sitevpn gateways, customer-gateways, connections (Huawei v5 API)', () => {
  it('creates, shows, lists and deletes a gateway with --json equal to the API answer', async () => {
    const created = await json(['gateways', 'create', '--name', 'edge-1', '--bgp-asn', '64600', ...GATEWAY]);
    assert.equal(created.name, 'edge-1');
    assert.equal(created.bgp_asn, 64600);
    assert.deepEqual(await json(['gateways', 'show', created.id]), (await huawei('GET', `/vpn-gateways/${created.id}`)).vpn_gateway);
    const listed = await json(['gateways', 'list']);
    assert.deepEqual(listed, (await huawei('GET', '/vpn-gateways')).vpn_gateways);
    assert.ok(listed.some((g: { id: string }) => g.id === created.id));
    assert.deepEqual(await json(['gateways', 'delete', created.id]), { id: created.id, deleted: true });
    assert.equal((await server.huawei.call('GET', `/vpn-gateways/${created.id}`)).status, 404);
  });

  it('creates, shows, lists and deletes a customer gateway with --json equal to the API answer', async () => {
    const created = await json(['customer-gateways', 'create', '--name', 'branch', '--ip', '198.51.100.20', '--bgp-asn', '65010']);
    assert.deepEqual(created, (await huawei('GET', `/customer-gateways/${created.id}`)).customer_gateway);
    assert.deepEqual(await json(['customer-gateways', 'show', created.id]), created);
    assert.deepEqual(await json(['customer-gateways', 'list']), (await huawei('GET', '/customer-gateways')).customer_gateways);
    const deleted = await cli(['customer-gateways', 'delete', created.id]);
    assert.deepEqual([deleted.code, deleted.stdout], [0, `${created.id}: deleted\n`]);
  });

  it('prints a customer gateway list for people as an aligned table without colour when not on a terminal', async () => {
    const a = await json(['customer-gateways', 'create', '--name', 'table-a', '--ip', '198.51.100.30']);
    const b = await json(['customer-gateways', 'create', '--name', 'table-long-name', '--fqdn', 'vpn.example.com']);
    const r = await cli(['customer-gateways', 'list']);
    assert.equal(r.code, 0);
    const lines = r.stdout.split('\n');
    assert.equal(lines[0], 'ID                                    NAME             ID TYPE  IDENTITY         BGP ASN  CREATED');
    assert.ok(lines.includes(`${a.id}  table-a          ip       198.51.100.30    65000    ${a.created_at}`), r.stdout);
    assert.ok(lines.includes(`${b.id}  table-long-name  fqdn     vpn.example.com  -        ${b.created_at}`), r.stdout);
    for (const id of [a.id, b.id]) assert.equal((await cli(['customer-gateways', 'delete', id])).code, 0);
  });

  it('creates a connection with --wait, exits 0 once ACTIVE and prints the connection as the API shows it', async () => {
    const { vgw, cgw } = await gatewayAndCgw('198.51.100.21');
    const r = await cli(
      [
        'connections',
        'create',
        '--name',
        'to-branch',
        '--gateway',
        vgw,
        '--customer-gateway',
        cgw,
        '--peer-subnet',
        '192.168.21.0/24',
        '--wait',
        '--json',
      ],
      {
        SITEVPN_PSK: 'Abcdefgh1234',
      },
    );
    assert.equal(r.code, 0, r.stderr);
    const shown = JSON.parse(r.stdout);
    assert.equal(shown.status, 'ACTIVE');
    assert.deepEqual(shown, (await huawei('GET', `/vpn-connection/${shown.id}`)).vpn_connection);
    // Not a terminal: one plain line per status, no escape codes.
    assert.match(r.stderr, new RegExp(`^(${shown.id}: PENDING_CREATE\\n)?${shown.id}: ACTIVE after \\d+ s\\n$`));
    assert.deepEqual(await json(['connections', 'list', '--gateway', vgw]), [shown]);
    assert.deepEqual(await json(['connections', 'show', shown.id]), shown);

    assert.deepEqual(await json(['tunnels', 'status', shown.id]), await ext(`/vpn-connections/${shown.id}/diagnostics`));
    const history = await json(['tunnels', 'history', shown.id]);
    assert.deepEqual(history, await ext(`/vpn-connections/${shown.id}/history`));
    assert.equal(history.history[0].kind, 'ike-up');
    const exported = await json(['device-config', 'export', shown.id]);
    const body = { vendor: 'strongswan', type: 'swanctl', model: 'strongSwan', version: '5.9' };
    assert.deepEqual(exported, await huawei('POST', `/vpn-connection/${shown.id}/peer-configuration/export`, body));
    assert.match(exported.peer_config, /^# swanctl\.conf for sitevpn VPN connection /);

    const people = await cli(['tunnels', 'status', shown.id]);
    const t = (history.history[0] as { tunnel_id: string }).tunnel_id;
    const outsideIp = ((await huawei('GET', `/vpn-gateways/${vgw}`)).vpn_gateway as { eip1: { ip_address: string } }).eip1.ip_address;
    assert.equal(people.stdout.split('\n').slice(0, 3).join('\n'), `${shown.id}  ACTIVE\ntunnel 0  ${t}\n  outside ip    ${outsideIp}`);
    assert.match(people.stdout, /\n {2}phase 1 {7}aes128-cbc, sha2-256, prf sha2-256, dh group 15\n/);
    assert.doesNotMatch(people.stdout, /\x1b\[/);
    assert.deepEqual(await json(['connections', 'delete', shown.id]), { id: shown.id, deleted: true });
  });

  it('prints the device configuration as text and writes it to a file of mode 0600 with --output', async () => {
    const { vgw, cgw } = await gatewayAndCgw('198.51.100.22');
    const id = (await json(['connections', 'create', '--gateway', vgw, '--customer-gateway', cgw, '--peer-subnet', '192.168.22.0/24'])).id;
    const text = await cli(['device-config', 'export', id]);
    const expected = (
      await huawei('POST', `/vpn-connection/${id}/peer-configuration/export`, {
        vendor: 'strongswan',
        type: 'swanctl',
        model: 'strongSwan',
        version: '5.9',
      })
    ).peer_config as string;
    assert.equal(text.stdout, expected.endsWith('\n') ? expected : `${expected}\n`);
  });
});

describe('sitevpn exit codes', () => {
  it('exits 3 with the API error for an unknown connection', async () => {
    const r = await cli(['connections', 'show', 'nope']);
    assert.deepEqual(r, {
      code: 3,
      stdout: '',
      stderr: 'sitevpn: HTTP 404 VPN.0004: resource not found: vpn connection nope does not exist\n',
    });
  });

  it('exits 1 with the API error for a request the server refuses', async () => {
    const r = await cli(['gateways', 'create', '--name', 'no-vpc']);
    assert.deepEqual(r, {
      code: 1,
      stdout: '',
      stderr: 'sitevpn: HTTP 400 VPN.0001: invalid request: vpn_gateway.vpc_id is required when attachment_type is vpc\n',
    });
  });

  it('exits 1 when the endpoint cannot be reached', async () => {
    // A port that was just free: nothing listens there.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const r = await cli(['gateways', 'list'], { SITEVPN_ENDPOINT: `http://127.0.0.1:${port}` });
    assert.deepEqual(r, { code: 1, stdout: '', stderr: `sitevpn: cannot reach http://127.0.0.1:${port}: ECONNREFUSED\n` });
  });

  it('exits 2 for an unknown command, a bad option value and missing credentials', async () => {
    const unknown = await cli(['connections', 'frobnicate']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^error: unknown command 'frobnicate'\n/);
    const bad = await cli(['tunnels', 'history', 'x', '--limit', 'ten']);
    assert.deepEqual(bad, {
      code: 2,
      stdout: '',
      stderr: "error: option '--limit <n>' argument 'ten' is invalid. must be an integer from 1 to 1000\n",
    });
    const missing = await cli(['gateways', 'list'], { SITEVPN_ACCESS_KEY_ID: undefined, SITEVPN_SECRET_ACCESS_KEY: undefined });
    assert.deepEqual(missing, {
      code: 2,
      stdout: '',
      stderr:
        'sitevpn: missing --access-key-id, --secret-access-key (or SITEVPN_ACCESS_KEY_ID, SITEVPN_SECRET_ACCESS_KEY, SITEVPN_PROJECT_ID, or sitevpn configure)\n',
    });
  });

  it('exits 4 with the reason when the connection goes ERROR while --wait waits', async () => {
    const { vgw, cgw } = await gatewayAndCgw('198.51.100.23');
    const profile = {
      ike_versions: ['v2'],
      ike_proposals: [{ encryption: ['aes256-gcm16'], integrity: ['sha2-512'], dh_groups: [21] }],
      esp_proposals: [{ encryption: ['aes256-gcm16'], integrity: [], pfs_groups: [21] }],
    };
    await setProfile(cgw, profile);
    const r = await cli([
      'connections',
      'create',
      '--gateway',
      vgw,
      '--customer-gateway',
      cgw,
      '--peer-subnet',
      '192.168.23.0/24',
      '--wait',
    ]);
    const id = ((await huawei('GET', '/vpn-connection')).vpn_connections as { id: string; cgw_id: string }[]).find(
      (c) => c.cgw_id === cgw,
    )!.id;
    const reason = ((await ext(`/vpn-connections/${id}/diagnostics`)).tunnels as { reason: string }[])[0].reason;
    assert.match(reason, /^phase 1 NO_PROPOSAL_CHOSEN: /);
    assert.equal(r.code, 4);
    assert.equal(r.stdout, '');
    assert.match(
      r.stderr,
      new RegExp(`${id}: ERROR: ${reason.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\nsitevpn: ${id} went ERROR instead of ACTIVE: `),
    );
    assert.ok(r.stderr.endsWith(`sitevpn: ${id} went ERROR instead of ACTIVE: ${reason}\n`));
  });

  it('exits 4 with the status message when the peer does not answer and the connection goes DOWN', async () => {
    const { vgw, cgw } = await gatewayAndCgw('198.51.100.24');
    const profile = {
      ike_versions: ['v2'],
      ike_proposals: [{ encryption: ['aes128-cbc'], integrity: ['sha2-256'], dh_groups: [15] }],
      esp_proposals: [{ encryption: ['aes128-cbc'], integrity: ['sha2-256'], pfs_groups: [15] }],
      reachable: false,
    };
    await setProfile(cgw, profile);
    const r = await cli([
      'connections',
      'create',
      '--gateway',
      vgw,
      '--customer-gateway',
      cgw,
      '--peer-subnet',
      '192.168.24.0/24',
      '--wait',
      '--json',
    ]);
    assert.equal(r.code, 4);
    assert.match(r.stderr, /sitevpn: \S+ went DOWN instead of ACTIVE: peer did not respond: .+\n$/);
  });

  it('never prints the secret access key', () => {
    assert.ok(outputs.length > 10);
    for (const o of outputs) assert.ok(!o.stdout.includes(TEST_SK) && !o.stderr.includes(TEST_SK));
  });
});
