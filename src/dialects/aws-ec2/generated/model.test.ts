// The EC2 surface is generated from the service model in @aws-sdk/client-ec2: the checked-in file
// must be what `npm run gen:ec2` writes today, and every action must answer with its model shape.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { generateEc2Model, MODEL_PATH } from '../../../../scripts/gen-ec2.ts';
import { ec2Actions } from '../actions/index.ts';
import { inputs, outputs } from './model.ts';

describe('the generated EC2 model', () => {
  it('is what npm run gen:ec2 generates from the installed SDK (run it when this fails)', () => {
    assert.equal(readFileSync(MODEL_PATH, 'utf8'), generateEc2Model());
  });

  it('gives every action its response shape from the model', () => {
    for (const a of ec2Actions) assert.equal(a.output, outputs[a.name as keyof typeof outputs], a.name);
  });

  it('carries the Query names and required members of each request', () => {
    assert.deepEqual(inputs.DescribeVpnConnections.members.VpnConnectionIds.query, 'VpnConnectionId');
    assert.equal(inputs.DescribeVpnConnections.members.VpnConnectionIds.shape.kind, 'list');
    assert.deepEqual([inputs.CreateVpnConnection.members.CustomerGatewayId.query, inputs.CreateVpnConnection.members.CustomerGatewayId.required], ['CustomerGatewayId', true]);
    assert.deepEqual([inputs.CreateVpnConnection.members.Options.query, inputs.CreateVpnConnection.members.Options.required], ['Options', false]);
    assert.equal(inputs.ModifyVpnTunnelOptions.members.TunnelOptions.shape.members.Phase1DHGroupNumbers.query, 'Phase1DHGroupNumber');
  });

  it('gives every action its request shape from the model', () => {
    for (const a of ec2Actions) assert.equal(a.input, inputs[a.name as keyof typeof inputs], a.name);
  });
});
