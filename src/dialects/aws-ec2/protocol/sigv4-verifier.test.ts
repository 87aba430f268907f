import assert from 'node:assert/strict';
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { DescribeVpnConnectionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { buildQueryString, HttpRequest } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';
import {
  type AwsSignedRequest,
  parseSigV4,
  SigningKeys,
  SigV4Error,
  type SigV4FailureCode,
  signingKey,
  verifySigV4,
} from './sigv4-verifier.ts';

type Bytes = string | ArrayBuffer | ArrayBufferView;
const toBuf = (d: Bytes) =>
  typeof d === 'string'
    ? Buffer.from(d, 'utf8')
    : ArrayBuffer.isView(d)
      ? Buffer.from(d.buffer, d.byteOffset, d.byteLength)
      : Buffer.from(d);

/** node:crypto behind the Checksum interface @smithy/signature-v4 expects. */
class NodeSha256 {
  private readonly h: Hash | Hmac;
  constructor(secret?: Bytes) {
    this.h = secret === undefined ? createHash('sha256') : createHmac('sha256', toBuf(secret));
  }
  update(data: Bytes): void {
    this.h.update(toBuf(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.h.digest());
  }
  reset(): void {}
}

const AKID = 'AKIDEXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const SIGNED_AT = Date.UTC(2024, 0, 1, 12, 0, 0);
const BODY = 'Action=DescribeVpnConnections&Version=2016-11-15&VpnConnectionId.1=vpn-0123456789abcdef0';
const OPTS = { nowMs: SIGNED_AT + 1000, regions: ['us-east-1', 'eu-west-1'] };

function signer(region = 'us-east-1', service = 'ec2', sessionToken?: string) {
  return new SignatureV4({
    credentials: { accessKeyId: AKID, secretAccessKey: SECRET, sessionToken },
    region,
    service,
    sha256: NodeSha256,
  });
}

function toWire(r: HttpRequest, body: string): AwsSignedRequest & { headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers)) headers[k.toLowerCase()] = v;
  return { method: r.method, path: r.path, rawQuery: buildQueryString(r.query ?? {}), headers, body };
}

function baseRequest(over: Partial<ConstructorParameters<typeof HttpRequest>[0]> = {}, body = BODY) {
  return new HttpRequest({
    method: 'POST',
    protocol: 'http:',
    hostname: 'ec2.local',
    port: 8080,
    path: '/',
    headers: { host: 'ec2.local:8080', 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body,
    ...over,
  });
}

async function signHeaderForm(opts: { region?: string; service?: string; date?: number; token?: string } = {}, req = baseRequest()) {
  const s = await signer(opts.region, opts.service, opts.token).sign(req, { signingDate: new Date(opts.date ?? SIGNED_AT) });
  return toWire(s as HttpRequest, req.body as string);
}

async function presign(expiresIn: number, query: Record<string, string> = { Action: 'DescribeVpnConnections', Version: '2016-11-15' }) {
  const req = new HttpRequest({
    method: 'GET',
    protocol: 'http:',
    hostname: 'ec2.local',
    path: '/',
    query,
    headers: { host: 'ec2.local' },
  });
  const p = await signer().presign(req, { signingDate: new Date(SIGNED_AT), expiresIn });
  return toWire(p as HttpRequest, '');
}

function check(req: AwsSignedRequest, secret = SECRET, opts = OPTS): void {
  verifySigV4(req, parseSigV4(req), secret, opts);
}

function rejects(fn: () => void, code: SigV4FailureCode, message?: string | RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof SigV4Error, `expected SigV4Error, got ${String(e)}`);
    assert.equal(e.code, code);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    return true;
  });
}

const AUTH = 'AWS was not able to validate the provided access credentials';

describe('SigV4 header form', () => {
  it('accepts a POST signed by @smithy/signature-v4 and reports its scope', async () => {
    const req = await signHeaderForm();
    const parsed = parseSigV4(req);
    assert.deepEqual(
      { ...parsed, signature: parsed.signature.length },
      {
        accessKeyId: AKID,
        date: '20240101',
        region: 'us-east-1',
        service: 'ec2',
        signedHeaders: ['content-type', 'host', 'x-amz-content-sha256', 'x-amz-date'],
        signature: 64,
        amzDate: '20240101T120000Z',
        dateMs: SIGNED_AT,
        presigned: false,
        securityToken: undefined,
      },
    );
    verifySigV4(req, parsed, SECRET, OPTS);
  });

  it('accepts what the real EC2Client sends for DescribeVpnConnections', async () => {
    let captured: HttpRequest | undefined;
    const client = new EC2Client({
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:9',
      credentials: { accessKeyId: AKID, secretAccessKey: SECRET },
      requestHandler: {
        async handle(request: HttpRequest) {
          captured = request;
          const xml = '<DescribeVpnConnectionsResponse><requestId>r</requestId></DescribeVpnConnectionsResponse>';
          return { response: { statusCode: 200, headers: {}, body: Readable.from([Buffer.from(xml)]) } };
        },
      },
    });
    await client.send(
      new DescribeVpnConnectionsCommand({ VpnConnectionIds: ['vpn-1'], Filters: [{ Name: 'state', Values: ['available'] }] }),
    );
    assert.ok(captured);
    const wire = toWire(captured, captured.body as string);
    const parsed = parseSigV4(wire);
    assert.equal(parsed.region, 'eu-west-1');
    verifySigV4(wire, parsed, SECRET, { nowMs: parsed.dateMs, regions: ['eu-west-1'] });
    rejects(() => verifySigV4(wire, parsed, SECRET + 'x', { nowMs: parsed.dateMs, regions: ['eu-west-1'] }), 'AuthFailure', AUTH);
  });

  it('rejects a body changed after signing with AuthFailure', async () => {
    const req = await signHeaderForm();
    const tampered = { ...req, body: BODY.replace('vpn-0123', 'vpn-9999') };
    rejects(() => check(tampered), 'AuthFailure', "The provided 'x-amz-content-sha256' header does not match what was computed.");
    const noHashHeader = { ...tampered, headers: { ...tampered.headers } };
    delete noHashHeader.headers['x-amz-content-sha256'];
    rejects(() => check(noHashHeader), 'AuthFailure', AUTH);
  });

  it('rejects an added query parameter and a changed signed header with AuthFailure', async () => {
    const req = await signHeaderForm();
    rejects(() => check({ ...req, rawQuery: 'DryRun=true' }), 'AuthFailure', AUTH);
    rejects(() => check({ ...req, headers: { ...req.headers, 'content-type': 'text/plain' } }), 'AuthFailure', AUTH);
    rejects(() => check({ ...req, method: 'PUT' }), 'AuthFailure', AUTH);
  });

  it('rejects the wrong secret and a forged signature with AuthFailure and EC2 wording', async () => {
    const req = await signHeaderForm();
    rejects(() => check(req, 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEz'), 'AuthFailure', AUTH);
    const forged = {
      ...req,
      headers: {
        ...req.headers,
        authorization: String(req.headers.authorization).replace(/Signature=[0-9a-f]+/, 'Signature=' + '0'.repeat(64)),
      },
    };
    rejects(() => check(forged), 'AuthFailure', AUTH);
  });

  it('rejects a region outside the configured ones and a service other than ec2', async () => {
    const otherRegion = await signHeaderForm({ region: 'ap-south-7' });
    const otherService = await signHeaderForm({ service: 'sts' });
    rejects(() => check(otherRegion), 'AuthFailure', "Credential should be scoped to a valid region, not 'ap-south-7'.");
    rejects(() => check(otherService), 'AuthFailure', "Credential should be scoped to correct service: 'ec2'.");
  });

  it('rejects a request signed more than five minutes ago with RequestExpired, and accepts one just inside', async () => {
    const req = await signHeaderForm();
    check(req, SECRET, { ...OPTS, nowMs: SIGNED_AT + 5 * 60_000 });
    rejects(() => check(req, SECRET, { ...OPTS, nowMs: SIGNED_AT + 5 * 60_000 + 1 }), 'RequestExpired', 'Request has expired.');
  });

  it('rejects a request dated more than five minutes ahead with RequestExpired', async () => {
    const req = await signHeaderForm({ date: SIGNED_AT + 6 * 60_000 });
    rejects(
      () => check(req, SECRET, { ...OPTS, nowMs: SIGNED_AT }),
      'RequestExpired',
      'Signature not yet current: 20240101T120600Z is still later than 20240101T120500Z (20240101T120000Z + 5 min.)',
    );
  });

  it('rejects an X-Amz-Date that disagrees with the credential scope date', async () => {
    const req = await signHeaderForm();
    const moved = { ...req, headers: { ...req.headers, 'x-amz-date': '20240102T000100Z' } };
    rejects(
      () => check(moved, SECRET, { ...OPTS, nowMs: Date.UTC(2024, 0, 2, 0, 1) }),
      'AuthFailure',
      "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20240101' != '20240102', from '20240102T000100Z'.",
    );
  });

  it('canonicalises folded header whitespace, dot segments and encoded paths like the signer does', async () => {
    const req = baseRequest({ path: '/a%20b/./c/../d', headers: { host: 'ec2.local', 'x-amz-meta-note': '  one   two\tthree  ' } });
    const wire = await signHeaderForm({}, req);
    check(wire);
    rejects(() => check({ ...wire, path: '/a%20b/d/e' }), 'AuthFailure', AUTH);
  });

  it('carries a session token and still verifies', async () => {
    const req = await signHeaderForm({ token: 'FQoGZXIvYXdzEXAMPLE' });
    const parsed = parseSigV4(req);
    assert.equal(parsed.securityToken, 'FQoGZXIvYXdzEXAMPLE');
    assert.ok(parsed.signedHeaders.includes('x-amz-security-token'));
    verifySigV4(req, parsed, SECRET, OPTS);
  });

  it('answers a request without any signature with MissingAuthenticationToken', () => {
    rejects(
      () => parseSigV4({ method: 'POST', path: '/', rawQuery: '', headers: { host: 'x' }, body: BODY }),
      'MissingAuthenticationToken',
      'The request must contain either a valid (registered) AWS access key ID or X.509 certificate.',
    );
    rejects(
      () => parseSigV4({ method: 'GET', path: '/', rawQuery: 'Action=A&Note=X-Amz-Date', headers: { host: 'x' }, body: '' }),
      'MissingAuthenticationToken',
    );
  });

  it('answers an incomplete Authorization header with IncompleteSignature naming every missing part', () => {
    const req = {
      method: 'POST',
      path: '/',
      rawQuery: '',
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/ec2/aws4_request' },
      body: '',
    };
    rejects(
      () => parseSigV4(req),
      'IncompleteSignature',
      "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. " +
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    );
    const badCred = {
      ...req,
      headers: {
        'x-amz-date': '20240101T120000Z',
        authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20240101/ec2, SignedHeaders=host, Signature=00',
      },
    };
    rejects(() => parseSigV4(badCred), 'IncompleteSignature', /^Credential must have exactly 5 slash-delimited elements/);
    const badDate = {
      ...badCred,
      headers: {
        ...badCred.headers,
        authorization: badCred.headers.authorization.replace('20240101/ec2', '20240101/us-east-1/ec2/aws4_request'),
        'x-amz-date': '2024-01-01',
      },
    };
    rejects(() => parseSigV4(badDate), 'IncompleteSignature', /^Date must be in ISO-8601 'basic format'/);
  });

  it('requires the host header to be signed', async () => {
    const req = await signHeaderForm();
    const parsed = parseSigV4(req);
    rejects(
      () => verifySigV4(req, { ...parsed, signedHeaders: ['x-amz-date'] }, SECRET, OPTS),
      'AuthFailure',
      "'Host' must be a 'SignedHeader' in the AWS Authorization.",
    );
  });

  it('keeps a derived signing key per secret, date, region and service in the SigningKeys it is given, at most max of them', () => {
    const keys = new SigningKeys(2);
    const a = keys.get(SECRET, '20240101', 'us-east-1', 'ec2');
    assert.deepEqual(a, signingKey(SECRET, '20240101', 'us-east-1', 'ec2'));
    assert.equal(keys.get(SECRET, '20240101', 'us-east-1', 'ec2'), a);
    assert.notDeepEqual(keys.get(SECRET + '1', '20240101', 'us-east-1', 'ec2'), a);
    assert.equal(keys.size, 2);
    // A third key evicts the least recently used one (SECRET + '1'), not the one just read.
    assert.equal(keys.get(SECRET, '20240101', 'us-east-1', 'ec2'), a);
    keys.get(SECRET, '20240102', 'us-east-1', 'ec2');
    assert.equal(keys.size, 2);
    assert.equal(keys.get(SECRET, '20240101', 'us-east-1', 'ec2'), a);
  });

  it('verifies the same signatures with and without a SigningKeys', async () => {
    const req = await signHeaderForm();
    const parsed = parseSigV4(req);
    const keys = new SigningKeys();
    verifySigV4(req, parsed, SECRET, OPTS);
    verifySigV4(req, parsed, SECRET, { ...OPTS, signingKeys: keys });
    verifySigV4(req, parsed, SECRET, { ...OPTS, signingKeys: keys });
    assert.equal(keys.size, 1);
    rejects(() => verifySigV4(req, parsed, SECRET + 'x', { ...OPTS, signingKeys: keys }), 'AuthFailure', AUTH);
  });
});

describe('SigV4 presigned form', () => {
  it('accepts a presigned GET made by @smithy/signature-v4 until X-Amz-Expires runs out', async () => {
    const req = await presign(3600);
    const parsed = parseSigV4(req);
    assert.equal(parsed.presigned, true);
    assert.equal(parsed.expiresSeconds, 3600);
    assert.deepEqual(parsed.signedHeaders, ['host']);
    verifySigV4(req, parsed, SECRET, { ...OPTS, nowMs: SIGNED_AT + 30 * 60_000 });
    verifySigV4(req, parsed, SECRET, { ...OPTS, nowMs: SIGNED_AT + 3600_000 });
    rejects(() => verifySigV4(req, parsed, SECRET, { ...OPTS, nowMs: SIGNED_AT + 3600_001 }), 'RequestExpired', 'Request has expired.');
  });

  it('rejects a presigned URL whose query was changed, or checked with the wrong secret', async () => {
    const req = await presign(300, { Action: 'DescribeVpnConnections', Version: '2016-11-15', 'VpnConnectionId.1': 'vpn-1 a+b' });
    check(req);
    rejects(() => check({ ...req, rawQuery: req.rawQuery.replace('vpn-1', 'vpn-2') }), 'AuthFailure', AUTH);
    rejects(() => check({ ...req, rawQuery: req.rawQuery + '&DryRun=true' }), 'AuthFailure', AUTH);
    rejects(() => check(req, 'not-the-secret'), 'AuthFailure', AUTH);
  });

  it('answers missing presign parameters and an overlong X-Amz-Expires with IncompleteSignature', async () => {
    const req = await presign(300);
    rejects(
      () => parseSigV4({ ...req, rawQuery: req.rawQuery.replace(/&?X-Amz-Expires=\d+/, '') }),
      'IncompleteSignature',
      /^AWS query-string parameters must include 'X-Amz-Algorithm'/,
    );
    rejects(
      () => parseSigV4({ ...req, rawQuery: req.rawQuery.replace(/X-Amz-Expires=\d+/, 'X-Amz-Expires=604801') }),
      'IncompleteSignature',
      'X-Amz-Expires must be less than a week (in seconds) that is 604800',
    );
  });
});
