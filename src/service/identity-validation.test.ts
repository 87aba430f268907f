// The service layer re-checks identities and free text whatever a dialect checked at its edge.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '../domain/errors.ts';
import { IKE } from './device-config/test-fixtures.ts';
import { checkIdentity, checkIkePolicy, checkText } from './validation.ts';

const FQDN_RULE =
  'must be a domain name such as vpn.example.com, a user@domain name such as vpn@example.com, or a key id written as @# and hex digits';

function refusal(fn: () => void): { code: string; field?: string; message: string } {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof DomainError);
    return { code: err.code, field: err.field, message: err.message };
  }
  assert.fail('nothing was refused');
}

describe('service validation of identities and text', () => {
  it('refuses a named IKE identity that charon would not read back as one', () => {
    const ike = { ...IKE, localIdType: 'fqdn' as const, localId: 'gw.example.com\n}\nsecrets {' };
    assert.deepEqual(
      refusal(() => checkIkePolicy(ike)),
      { code: 'InvalidParameter', field: 'ike.localId', message: `ike.localId ${FQDN_RULE} when its type is fqdn` },
    );
    const peer = { ...IKE, peerIdType: 'fqdn' as const, peerId: '%any' };
    assert.deepEqual(
      refusal(() => checkIkePolicy(peer)),
      { code: 'InvalidParameter', field: 'ike.peerId', message: `ike.peerId ${FQDN_RULE} when its type is fqdn` },
    );
  });

  it('accepts named identities of every kind and leaves address identities to the address checks', () => {
    for (const id of ['gw.example.com', 'gw@example.com', '@#a1b2'])
      checkIkePolicy({ ...IKE, localIdType: 'fqdn', localId: id, peerIdType: 'fqdn', peerId: id });
    checkIkePolicy({ ...IKE, localIdType: 'ip', localId: '203.0.113.1', peerIdType: 'ip', peerId: 'cpe.example.com' });
  });

  it('refuses an ip identity that is no address or the unspecified address', () => {
    assert.deepEqual(
      refusal(() => checkIdentity('idValue', 'ip', '0.0.0.0')),
      {
        code: 'InvalidParameter',
        field: 'idValue',
        message: 'idValue must be an IPv4 or IPv6 address (not 0.0.0.0 or ::) when its type is ip',
      },
    );
    checkIdentity('idValue', 'ip', '198.51.100.7');
  });

  it('refuses free text with control characters and keeps any other text', () => {
    assert.deepEqual(
      refusal(() => checkText('deviceName', 'router\r\n')),
      {
        code: 'InvalidParameter',
        field: 'deviceName',
        message: 'deviceName must not contain control characters such as line breaks or tabs',
      },
    );
    checkText('deviceName', '} secrets { # "quoted" \\ Grüße');
  });
});
