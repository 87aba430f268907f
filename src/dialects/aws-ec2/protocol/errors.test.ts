import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { DescribeVpnConnectionsCommand, EC2Client, EC2ServiceException } from '@aws-sdk/client-ec2';
import { EC2_ERROR_MESSAGES, ec2ErrorReply, ec2ErrorStatus, renderEc2Error } from './errors.ts';

function sdkAnswering(status: number, xml: string, headers: Record<string, string>): EC2Client {
  return new EC2Client({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:9',
    credentials: { accessKeyId: 'AKID', secretAccessKey: 'SECRET' },
    maxAttempts: 1,
    requestHandler: {
      async handle() {
        return { response: { statusCode: status, headers, body: Readable.from([Buffer.from(xml)]) } };
      },
    },
  });
}

describe('EC2 error responses', () => {
  it('renders exactly the EC2 error document', () => {
    assert.equal(
      renderEc2Error('InvalidVpnConnectionID.NotFound', "The vpnConnection ID 'vpn-1234' does not exist", 'r-1'),
      '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>InvalidVpnConnectionID.NotFound</Code>' +
        "<Message>The vpnConnection ID 'vpn-1234' does not exist</Message></Error></Errors><RequestID>r-1</RequestID></Response>",
    );
    assert.ok(
      renderEc2Error('InvalidParameterValue', 'Value ( <x> & y ) is bad', 'r').includes(
        '<Message>Value ( &lt;x&gt; &amp; y ) is bad</Message>',
      ),
    );
  });

  it('maps each code to the HTTP status EC2 uses, 400 otherwise', () => {
    assert.deepEqual(
      [
        'AuthFailure',
        'UnauthorizedOperation',
        'DryRunOperation',
        'InternalError',
        'RequestExpired',
        'RequestLimitExceeded',
        'MissingParameter',
        'InvalidVpnGatewayID.NotFound',
      ].map(ec2ErrorStatus),
      [401, 403, 412, 500, 400, 503, 400, 400],
    );
    assert.deepEqual(ec2ErrorReply('DryRunOperation', EC2_ERROR_MESSAGES.DryRunOperation, 'r').status, 412);
  });

  it('is understood by the real EC2Client: code, message, status and request id', async () => {
    for (const [code, message] of [
      ['AuthFailure', EC2_ERROR_MESSAGES.AuthFailure],
      ['DryRunOperation', EC2_ERROR_MESSAGES.DryRunOperation],
      ['InvalidVpnConnectionID.NotFound', "The vpnConnection ID 'vpn-1234' does not exist"],
    ] as const) {
      const reply = ec2ErrorReply(code, message, 'c0ffee00-0000-4000-8000-000000000001');
      await assert.rejects(
        sdkAnswering(reply.status, reply.body, reply.headers).send(new DescribeVpnConnectionsCommand({})),
        (e: unknown) => {
          assert.ok(e instanceof EC2ServiceException);
          assert.equal(e.name, code);
          assert.equal(e.message, message);
          assert.equal(e.$metadata.httpStatusCode, reply.status);
          assert.equal(e.$metadata.requestId, 'c0ffee00-0000-4000-8000-000000000001');
          return true;
        },
      );
    }
  });
});
