import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('refuses a quota that is not a positive integer instead of turning it into NaN', () => {
    assert.throws(() => loadConfig({ SITEVPN_QUOTA_VPN_CONNECTIONS: 'abc' }), { message: 'SITEVPN_QUOTA_VPN_CONNECTIONS must be a positive integer, got "abc"' });
    assert.throws(() => loadConfig({ SITEVPN_QUOTA_VPN_GATEWAYS: '0' }), { message: 'SITEVPN_QUOTA_VPN_GATEWAYS must be a positive integer, got "0"' });
  });

  it('refuses an unknown data plane', () => {
    assert.throws(() => loadConfig({ SITEVPN_DATAPLANE: 'foo' }), { message: 'SITEVPN_DATAPLANE must be simulated or strongswan, got "foo"' });
  });

  it('keeps the defaults when nothing is set', () => {
    const config = loadConfig({});
    assert.equal(config.dataplane, 'simulated');
    assert.deepEqual(config.quotas, { gateways: 50, customerGateways: 1000, connections: 1000 });
  });
});
