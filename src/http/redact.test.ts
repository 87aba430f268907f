import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSecretName, redactBody, redactQuery, redactUrl, scrubText } from './redact.ts';

describe('redaction by parameter name', () => {
  it('knows secret names in any position and any case', () => {
    for (const name of [
      'PreSharedKey',
      'Options.TunnelOptions.1.PreSharedKey',
      'TunnelOptions.PreSharedKey',
      'X-Amz-Signature',
      'x-amz-credential',
      'Signature',
      'psk',
      'vpn_connection.psk',
      'SecretAccessKey',
    ]) {
      assert.equal(isSecretName(name), true, name);
    }
    for (const name of [
      'Action',
      'VpnConnectionId',
      'Options.TunnelOptions.1.TunnelInsideCidr',
      'limit',
      'X-Amz-Date',
      'X-Amz-SignedHeaders',
    ]) {
      assert.equal(isSecretName(name), false, name);
    }
  });

  it('redacts the values of secret parameters in a query string, percent-encoded names included', () => {
    assert.equal(
      redactQuery(
        'Action=CreateVpnConnection&Options.TunnelOptions.1.PreSharedKey=abc&Options%2ETunnelOptions%2E2%2EPreSharedKey=def&X-Amz-Signature=0f&flag',
      ),
      'Action=CreateVpnConnection&Options.TunnelOptions.1.PreSharedKey=[REDACTED]&Options%2ETunnelOptions%2E2%2EPreSharedKey=[REDACTED]&X-Amz-Signature=[REDACTED]&flag',
    );
    assert.equal(redactUrl('/v5/p/vpn-connection?psk=x&limit=1'), '/v5/p/vpn-connection?psk=[REDACTED]&limit=1');
    assert.equal(redactUrl('/v5/p/vpn-connection'), '/v5/p/vpn-connection');
  });

  it('redacts JSON fields at any depth, and logs anything unparsable by size only', () => {
    const json = Buffer.from(JSON.stringify({ vpn_connection: { name: 'n', psk: 'secret1', tunnels: [{ psk: 'secret2' }] } }));
    assert.deepEqual(redactBody(json, 'application/json; charset=utf-8'), {
      vpn_connection: { name: 'n', psk: '[REDACTED]', tunnels: [{ psk: '[REDACTED]' }] },
    });
    assert.deepEqual(redactBody(Buffer.from('{"psk":"secret3"'), 'application/json'), { bytes: 16 });
    assert.deepEqual(redactBody(Buffer.from('psk=secret4'), 'text/plain'), { bytes: 11 });
    assert.equal(
      redactBody(Buffer.from('Action=X&PreSharedKey=secret5'), 'application/x-www-form-urlencoded'),
      'Action=X&PreSharedKey=[REDACTED]',
    );
    assert.equal(redactBody(Buffer.alloc(0), 'application/json'), undefined);
  });

  it('scrubs secret-looking assignments and JSON fields out of free text', () => {
    const text =
      'failed on /?Options.TunnelOptions.1.PreSharedKey=abc123&x=1 with {"psk": "p\\"q", "name":"n"}; Signature=deadbeef, Credential=AK/x';
    assert.equal(
      scrubText(text),
      'failed on /?Options.TunnelOptions.1.PreSharedKey=[REDACTED]&x=1 with {"psk": "[REDACTED]", "name":"n"}; Signature=[REDACTED], Credential=AK/x',
    );
  });
});
