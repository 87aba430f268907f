// No log line, at any level down to trace, carries a pre-shared key, a secret key or a signature:
// a run through both dialects and the extension API with distinctive secrets (POST form, GET
// query, presigned URL, JSON bodies, error paths) captures every line pino writes and finds none.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { CreateVpnConnectionCommand, type EC2Client, ModifyVpnTunnelOptionsCommand } from '@aws-sdk/client-ec2';
import pino from 'pino';
import { ec2Client, ec2Failure } from './support/aws-client.ts';
import { presignEc2, sendEc2, signEc2 } from './support/aws-raw.ts';
import { connectionBody, gatewayPair } from './support/fixtures.ts';
import { type RawSigned, send, signHuawei } from './support/huawei-raw.ts';
import { startTestServer, TEST_AK, TEST_PROJECT, TEST_SK, type TestServer } from './support/server.ts';

const lines: string[] = [];
let server: TestServer;
let ec2: EC2Client;
/** Every secret the run uses; none may appear in any line. */
const secrets = new Set<string>([TEST_SK]);

before(async () => {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  server = await startTestServer({ logLevel: 'trace' }, { logger: pino({ level: 'trace' }, sink) });
  ec2 = ec2Client(server.endpoint);
  // The SDK's own signatures, taken from each request as it leaves.
  ec2.middlewareStack.add(
    (next) => async (args) => {
      const auth = (args.request as { headers: Record<string, string> }).headers.authorization;
      const sig = /Signature=([0-9a-f]+)/.exec(auth ?? '')?.[1];
      if (sig) secrets.add(sig);
      return next(args);
    },
    { step: 'deserialize' },
  );
});
after(() => server.close());

function psk(tag: string): string {
  const value = `Dist1nct${tag}Psk7`;
  secrets.add(value);
  return value;
}

/** Remembers the signature of a raw-signed Huawei request (the real SDK signer). */
function huawei(
  method: string,
  path: string,
  data?: unknown,
  opts: { rawBody?: string; sk?: string; query?: Record<string, string> } = {},
): Promise<unknown> {
  const signed: RawSigned = signHuawei({
    endpoint: server.endpoint,
    method,
    path,
    data,
    rawBody: opts.rawBody,
    query: opts.query,
    ak: TEST_AK,
    sk: opts.sk ?? TEST_SK,
  });
  secrets.add(/Signature=([0-9a-f]+)/.exec(signed.headers.Authorization)![1]);
  return send(signed);
}

describe('log lines at trace level', () => {
  it('never contain a PSK, a secret key or a signature, whatever the dialect, encoding or outcome', async () => {
    const { gateway, cgw } = await gatewayPair(server);
    const other = await gatewayPair(server);
    const third = await gatewayPair(server);

    // EC2, POST form through the SDK: create with PSKs, modify a PSK, and a refused PSK.
    const created = await ec2.send(
      new CreateVpnConnectionCommand({
        Type: 'ipsec.1',
        CustomerGatewayId: cgw.id,
        VpnGatewayId: gateway.id,
        Options: { StaticRoutesOnly: true, TunnelOptions: [{ PreSharedKey: psk('Form1') }, { PreSharedKey: psk('Form2') }] },
      }),
    );
    const connection = created.VpnConnection!;
    await ec2
      .send(
        new ModifyVpnTunnelOptionsCommand({
          VpnConnectionId: connection.VpnConnectionId!,
          VpnTunnelOutsideIpAddress: connection.Options!.TunnelOptions![0].OutsideIpAddress!,
          TunnelOptions: { PreSharedKey: psk('Modify') },
        }),
      )
      .catch(() => undefined);
    const refused = await ec2Failure(
      ec2.send(
        new CreateVpnConnectionCommand({
          Type: 'ipsec.1',
          CustomerGatewayId: other.cgw.id,
          VpnGatewayId: other.gateway.id,
          Options: { TunnelOptions: [{ PreSharedKey: `0${psk('Zero')}` }] },
        }),
      ),
    );
    assert.equal(refused.name, 'InvalidParameterValue');

    // EC2, raw form with a wrong secret (AuthFailure), and a presigned GET with the PSK in the query.
    const wrong = await signEc2(
      server.endpoint,
      {
        Action: 'CreateVpnConnection',
        Type: 'ipsec.1',
        CustomerGatewayId: other.cgw.id,
        'Options.TunnelOptions.1.PreSharedKey': psk('BadSig'),
      },
      { secretAccessKey: 'Wrong.Secret.Distinct_42' },
    );
    secrets.add('Wrong.Secret.Distinct_42');
    secrets.add(/Signature=([0-9a-f]+)/.exec(wrong.headers.authorization)![1]);
    assert.equal((await sendEc2(wrong)).status, 401);
    const url = await presignEc2(server.endpoint, {
      Action: 'CreateVpnConnection',
      Type: 'ipsec.1',
      CustomerGatewayId: third.cgw.id,
      VpnGatewayId: third.gateway.id,
      'Options.StaticRoutesOnly': 'true',
      'Options.TunnelOptions.1.PreSharedKey': psk('Query1'),
      'Options.TunnelOptions.2.PreSharedKey': psk('Query2'),
    });
    const params = new URL(url).searchParams;
    secrets.add(params.get('X-Amz-Signature')!);
    secrets.add(params.get('X-Amz-Credential')!);
    secrets.add(encodeURIComponent(params.get('X-Amz-Credential')!));
    assert.equal((await fetch(url)).status, 200);
    // A presigned GET with an unknown action still carries a signature and a PSK.
    const unknownAction = await presignEc2(server.endpoint, {
      Action: 'NoSuchAction',
      'Options.TunnelOptions.1.PreSharedKey': psk('Query3'),
    });
    secrets.add(new URL(unknownAction).searchParams.get('X-Amz-Signature')!);
    assert.equal((await fetch(unknownAction)).status, 400);

    // Huawei JSON bodies: create and update with a PSK, a refused PSK, a wrong secret, broken JSON.
    const hw = await gatewayPair(server);
    const body = connectionBody(hw.gateway, hw.cgw, { psk: psk('Json1') });
    const hwCreated = (await huawei('POST', `/v5/${TEST_PROJECT}/vpn-connection`, body)) as { status: number; json: any };
    assert.equal(hwCreated.status, 201);
    const id = hwCreated.json.vpn_connection.id;
    await huawei('PUT', `/v5/${TEST_PROJECT}/vpn-connection/${id}`, { vpn_connection: { psk: psk('Json2') } });
    const weak = (await huawei('PUT', `/v5/${TEST_PROJECT}/vpn-connection/${id}`, { vpn_connection: { psk: 'weakpsk.distinct' } })) as {
      status: number;
    };
    secrets.add('weakpsk.distinct');
    assert.equal(weak.status, 400);
    const badSig = (await huawei('POST', `/v5/${TEST_PROJECT}/vpn-connection`, connectionBody(hw.gateway, hw.cgw, { psk: psk('Json3') }), {
      sk: 'Wrong.Huawei.Secret_77',
    })) as { status: number };
    secrets.add('Wrong.Huawei.Secret_77');
    assert.equal(badSig.status, 401);
    const broken = `{"vpn_connection":{"psk":"${psk('Broken')}",`;
    assert.equal(
      ((await huawei('POST', `/v5/${TEST_PROJECT}/vpn-connection`, undefined, { rawBody: broken })) as { status: number }).status,
      400,
    );
    // A PSK in a Huawei query string, where no operation reads one.
    await huawei('GET', `/v5/${TEST_PROJECT}/vpn-connection`, undefined, { query: { psk: psk('HwQuery') } });

    // The extension API: a device profile with a PSK.
    const profile = {
      device_profile: {
        ike_versions: ['v2'],
        ike_proposals: [{ encryption: ['aes256-cbc'], integrity: ['sha2-256'], dh_groups: [14] }],
        esp_proposals: [{ encryption: ['aes256-gcm16'], integrity: [], pfs_groups: [14] }],
        psk: psk('Profile'),
      },
    };
    const put = (await huawei('PUT', `/sitevpn/v1/projects/${TEST_PROJECT}/customer-gateways/${hw.cgw.id}/device-profile`, profile)) as {
      status: number;
    };
    assert.equal(put.status, 200);

    // An unexpected failure whose error text quotes the request it failed on.
    const services = server.app.services.customerGateways;
    const original = services.create.bind(services);
    services.create = async () => {
      throw new Error(`store refused {"customer_gateway":{"psk":"${psk('Thrown')}"}} from /?PreSharedKey=${psk('Thrown2')}&x=1`);
    };
    try {
      const failed = (await huawei('POST', `/v5/${TEST_PROJECT}/customer-gateways`, {
        customer_gateway: { id_value: '198.51.100.99' },
      })) as { status: number };
      assert.equal(failed.status, 500);
    } finally {
      services.create = original;
    }

    // The run was logged: access lines, trace lines with redacted bodies, the error line.
    const all = lines.join('');
    assert.ok(all.split('\n').filter((l) => l.includes('"msg":"request"')).length >= 12);
    assert.match(all, /"psk":"\[REDACTED\]".*"msg":"request detail"/);
    assert.match(all, /Options\.TunnelOptions\.1\.PreSharedKey=\[REDACTED\]/);
    assert.match(all, /X-Amz-Signature=\[REDACTED\]/);
    assert.match(all, /"authorization":"\[REDACTED\]"/);
    assert.match(all, /"msg":"unexpected error"/);
    for (const secret of secrets) {
      const leaking = lines.filter((l) => l.includes(secret));
      assert.deepEqual(leaking, [], `a log line contains the secret ${secret}`);
    }
  });
});
