// The EC2 surface is generated from the service model in @aws-sdk/client-ec2: the checked-in files
// must be what `npm run gen:ec2` writes today, and every action must answer with its model shape.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { GENERATED_MARK, MODEL_DIR, writeEc2Model } from '../../../../scripts/gen-ec2.ts';
import { ec2Actions } from '../actions/index.ts';
import { inputs, outputs } from './model.ts';

/** The files of a directory that carry the generator's header, with their texts. */
function generatedFiles(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of readdirSync(dir).sort()) {
    const text = readFileSync(join(dir, name), 'utf8');
    if (text.startsWith(GENERATED_MARK)) files.set(name, text);
  }
  return files;
}

describe('the generated EC2 model', () => {
  it('is what npm run gen:ec2 generates from the installed SDK, file for file (run it when this fails)', () => {
    const fresh = mkdtempSync(join(tmpdir(), 'sitevpn-gen-ec2-'));
    try {
      writeEc2Model(fresh);
      const expected = generatedFiles(fresh);
      assert.deepEqual([...expected.keys()], ['input-shapes.ts', 'inputs.ts', 'model.ts', 'outputs.ts', 'shapes.ts']);
      // A generated file the generator no longer writes is stale too.
      assert.deepEqual(generatedFiles(MODEL_DIR), expected);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it('keeps every generated file under 300 lines', () => {
    for (const [name, text] of generatedFiles(MODEL_DIR))
      assert.ok(text.split('\n').length <= 300, `${name} has ${text.split('\n').length} lines`);
  });

  it('gives every action its response shape from the model', () => {
    for (const a of ec2Actions) assert.equal(a.output, outputs[a.name as keyof typeof outputs], a.name);
  });

  it('carries the Query names and required members of each request', () => {
    assert.deepEqual(inputs.DescribeVpnConnections.members.VpnConnectionIds.query, 'VpnConnectionId');
    assert.equal(inputs.DescribeVpnConnections.members.VpnConnectionIds.shape.kind, 'list');
    assert.deepEqual(
      [inputs.CreateVpnConnection.members.CustomerGatewayId.query, inputs.CreateVpnConnection.members.CustomerGatewayId.required],
      ['CustomerGatewayId', true],
    );
    assert.deepEqual(
      [inputs.CreateVpnConnection.members.Options.query, inputs.CreateVpnConnection.members.Options.required],
      ['Options', false],
    );
    assert.equal(inputs.ModifyVpnTunnelOptions.members.TunnelOptions.shape.members.Phase1DHGroupNumbers.query, 'Phase1DHGroupNumber');
  });

  it('gives every action its request shape from the model', () => {
    for (const a of ec2Actions) assert.equal(a.input, inputs[a.name as keyof typeof inputs], a.name);
  });
});
