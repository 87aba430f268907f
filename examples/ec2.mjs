// One EC2 action through the official @aws-sdk/client-ec2, for shell scripts without an AWS CLI:
//
//   node examples/ec2.mjs CreateVpnGateway '{"Type":"ipsec.1"}'
//
// Prints the action's output as JSON (what `aws ec2 ... --output json` prints); on an error, the
// EC2 error code and message on stderr and exit code 1. Endpoint and keys from SITEVPN_ENDPOINT
// (default http://127.0.0.1:8787), SITEVPN_ACCESS_KEY_ID and SITEVPN_SECRET_ACCESS_KEY; region
// us-east-1 unless SITEVPN_REGION says otherwise.
import * as sdk from '@aws-sdk/client-ec2';

const [action, input = '{}'] = process.argv.slice(2);
const Command = action && sdk[`${action}Command`];
if (!Command) {
  console.error('usage: node examples/ec2.mjs <Action> [<JSON input>]   e.g. DescribeVpnConnections \'{"VpnConnectionIds":["vpn-..."]}\'');
  process.exit(2);
}
const { SITEVPN_ACCESS_KEY_ID: accessKeyId, SITEVPN_SECRET_ACCESS_KEY: secretAccessKey } = process.env;
if (!accessKeyId || !secretAccessKey) {
  console.error('set SITEVPN_ACCESS_KEY_ID and SITEVPN_SECRET_ACCESS_KEY');
  process.exit(2);
}
const client = new sdk.EC2Client({
  endpoint: process.env.SITEVPN_ENDPOINT ?? 'http://127.0.0.1:8787',
  region: process.env.SITEVPN_REGION ?? 'us-east-1',
  credentials: { accessKeyId, secretAccessKey },
  maxAttempts: 1,
});
try {
  const { $metadata, ...output } = await client.send(new Command(JSON.parse(input)));
  console.log(JSON.stringify(output, null, 2));
} catch (err) {
  console.error(`${err.name}: ${err.message}`);
  process.exit(1);
}
