// Revocation across processes: `sitevpn credentials delete|set-policy` runs as its own process
// against the server's SQLite file, and the very next request of that key is refused or
// downgraded in every running server (both dialects and the extension API); an open event stream
// of a deleted key ends.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { CreateCustomerGatewayCommand, DescribeVpnGatewaysCommand } from '@aws-sdk/client-ec2';
import pino from 'pino';
import { loadConfig } from '../src/config/config.ts';
import { type App, createApp } from '../src/http/app.ts';
import { ec2Client, ec2Failure } from './support/aws-client.ts';
import { connectionBody, gatewayPair } from './support/fixtures.ts';
import { HuaweiTestClient } from './support/huawei-client.ts';
import { send, signHuawei } from './support/huawei-raw.ts';
import { startTestServer, TEST_AK, TEST_PROJECT, TEST_SK, type TestServer } from './support/server.ts';

const run = promisify(execFile);
const AUTH_FAILURE = 'AWS was not able to validate the provided access credentials';

let server: TestServer;
/** A second server process's worth of state: its own app, store connection and caches, same file. */
let second: App;
let secondEndpoint: string;

before(async () => {
  server = await startTestServer();
  const config = loadConfig({}, { dataDir: server.dataDir, port: 0, simulatedDelayMs: 5, logLevel: 'silent' });
  second = await createApp(config, { logger: pino({ level: 'silent' }) });
  secondEndpoint = await second.listen();
});
after(async () => {
  await second.close();
  await server.close();
});

/** The real CLI, as an operator runs it, in its own process against the test server's data dir. */
async function cli(...args: string[]): Promise<string> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SITEVPN_')));
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', '--data-dir', server.dataDir, 'credentials', ...args],
    { env },
  );
  return stdout;
}

async function newKey(policy: 'read-only' | 'full' | 'admin') {
  const key = await server.app.services.tenants.createKey(undefined, policy, 'revocation test');
  return { ak: key.accessKeyId, sk: key.secret };
}

function ext(endpoint: string, key: { ak: string; sk: string }, path: string, query?: Record<string, string>) {
  return signHuawei({ endpoint, method: 'GET', path: `/sitevpn/v1/projects/${TEST_PROJECT}${path}`, query, ak: key.ak, sk: key.sk });
}

/** One read in each dialect and the extension API, on one server; answers status and error code. */
async function readEverywhere(endpoint: string, key: { ak: string; sk: string }): Promise<string[]> {
  const ec2 = await ec2Client(endpoint, { accessKeyId: key.ak, secretAccessKey: key.sk })
    .send(new DescribeVpnGatewaysCommand({}))
    .then(
      () => '200',
      (err: { name: string; $metadata?: { httpStatusCode?: number }; message: string }) =>
        `${err.$metadata?.httpStatusCode} ${err.name} ${err.message}`,
    );
  const huawei = await new HuaweiTestClient(endpoint, key.ak, key.sk, TEST_PROJECT).call('GET', '/vpn-gateways');
  const extension = await send(ext(endpoint, key, '/events'));
  return [
    ec2,
    `${huawei.status} ${huawei.errorCode ?? ''} ${huawei.errorMsg ?? ''}`.trim(),
    `${extension.status} ${extension.json.error_code ?? ''} ${extension.json.error_msg ?? ''}`.trim(),
  ];
}

describe('sitevpn credentials delete', () => {
  it('refuses the deleted key on its very next request in both dialects and the extension API, in every server', async () => {
    const key = await newKey('full');
    // Both servers have the key in their caches before the CLI deletes it.
    assert.deepEqual(await readEverywhere(server.endpoint, key), ['200', '200', '200']);
    assert.deepEqual(await readEverywhere(secondEndpoint, key), ['200', '200', '200']);
    assert.equal(await cli('delete', key.ak), `${key.ak}: deleted\n`);
    const refused = [
      `401 AuthFailure ${AUTH_FAILURE}`,
      '401 APIGW.0301 Incorrect IAM authentication information: verify aksk signature fail',
      '401 APIGW.0301 Incorrect IAM authentication information: verify aksk signature fail',
    ];
    assert.deepEqual(await readEverywhere(server.endpoint, key), refused);
    assert.deepEqual(await readEverywhere(secondEndpoint, key), refused);
  });

  it('ends an open event stream of the deleted key, and only that one', { timeout: 30_000 }, async () => {
    const key = await newKey('full');
    const doomed = await openStream(server.endpoint, key);
    const kept = await openStream(server.endpoint, { ak: TEST_AK, sk: TEST_SK });
    const onSecond = await openStream(secondEndpoint, key);
    await cli('delete', key.ak);
    // Both servers end the deleted key's streams without any further request of that key.
    assert.equal(await doomed.ended, 'ended');
    assert.equal(await onSecond.ended, 'ended');
    // The other key's stream still delivers events.
    const { gateway, cgw } = await gatewayPair(server);
    const created = await server.huawei.call('POST', '/vpn-connection', connectionBody(gateway, cgw));
    assert.equal(created.status, 201);
    const line = JSON.parse(await kept.nextLine());
    assert.equal(line.vpn_connection_id, created.body.vpn_connection.id);
    kept.close();
  });
});

describe('sitevpn credentials set-policy', () => {
  it('downgrades a key to read-only on its very next request in both dialects, in every server', async () => {
    const key = await newKey('full');
    const ec2 = ec2Client(server.endpoint, { accessKeyId: key.ak, secretAccessKey: key.sk });
    const ec2Second = ec2Client(secondEndpoint, { accessKeyId: key.ak, secretAccessKey: key.sk });
    const huawei = new HuaweiTestClient(server.endpoint, key.ak, key.sk, TEST_PROJECT);
    const huaweiSecond = new HuaweiTestClient(secondEndpoint, key.ak, key.sk, TEST_PROJECT);
    const cgwBody = (octet: number) => ({ customer_gateway: { name: `rev-${octet}`, id_value: `198.51.100.${octet}` } });
    assert.equal(
      (await ec2.send(new CreateCustomerGatewayCommand({ Type: 'ipsec.1', IpAddress: '198.51.100.201', BgpAsn: 65001 }))).$metadata
        .httpStatusCode,
      200,
    );
    assert.equal(
      (await ec2Second.send(new CreateCustomerGatewayCommand({ Type: 'ipsec.1', IpAddress: '198.51.100.202', BgpAsn: 65001 }))).$metadata
        .httpStatusCode,
      200,
    );
    assert.equal((await huawei.call('POST', '/customer-gateways', cgwBody(203))).status, 201);
    assert.equal((await huaweiSecond.call('POST', '/customer-gateways', cgwBody(204))).status, 201);

    assert.equal(await cli('set-policy', key.ak, 'read-only'), `${key.ak}: policy read-only\n`);

    for (const client of [ec2, ec2Second]) {
      const refused = await ec2Failure(
        client.send(new CreateCustomerGatewayCommand({ Type: 'ipsec.1', IpAddress: '198.51.100.205', BgpAsn: 65001 })),
      );
      assert.deepEqual(
        [refused.status, refused.name, refused.message],
        [403, 'UnauthorizedOperation', 'You are not authorized to perform this operation.'],
      );
      assert.equal((await client.send(new DescribeVpnGatewaysCommand({}))).$metadata.httpStatusCode, 200);
    }
    for (const client of [huawei, huaweiSecond]) {
      const refused = await client.call('POST', '/customer-gateways', cgwBody(206));
      assert.deepEqual(
        [refused.status, refused.errorCode, refused.errorMsg],
        [403, 'VPN.0003', "Authentication failed: Policy doesn't allow vpn:customerGateways:create to be performed."],
      );
      assert.equal((await client.call('GET', '/customer-gateways')).status, 200);
    }
  });
});

interface OpenStream {
  /** Resolves with 'ended' when the server ends the answer. */
  ended: Promise<string>;
  nextLine(): Promise<string>;
  close(): void;
}

async function openStream(endpoint: string, key: { ak: string; sk: string }): Promise<OpenStream> {
  const signed = ext(endpoint, key, '/events', { follow: 'true' });
  const { host, ...headers } = signed.headers;
  const abort = new AbortController();
  const res = await fetch(signed.url, { headers, signal: abort.signal });
  assert.equal(res.status, 200);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const lines: string[] = [];
  let waiting: ((line: string) => void) | undefined;
  const ended = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return 'ended';
      buffer += decoder.decode(value, { stream: true });
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        lines.push(buffer.slice(0, nl));
        buffer = buffer.slice(nl + 1);
      }
      if (waiting && lines.length > 0) waiting(lines.shift()!);
    }
  })().catch(() => 'aborted');
  return {
    ended,
    nextLine: () => (lines.length > 0 ? Promise.resolve(lines.shift()!) : new Promise((resolve) => (waiting = resolve))),
    close: () => abort.abort(),
  };
}
