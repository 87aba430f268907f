// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpnGateway.html
import { authorize } from '../../../service/context.ts';
import { action } from '../action.ts';
import { inputs, outputs } from '../generated/model.ts';
import { checkEnum } from '../protocol/model-input-checks.ts';
import { invalidValue } from '../protocol/query-errors.ts';
import { renderVpnGatewayWithZone } from '../render.ts';
import { ec2TagError, tagSpecificationTags } from './CreateTags.ts';

/** The private ASN ranges EC2 accepts for the Amazon side (16-bit and 32-bit). */
function isAmazonSideAsn(asn: number): boolean {
  return (asn >= 64512 && asn <= 65534) || (asn >= 4200000000 && asn <= 4294967294);
}

export default action({
  name: 'CreateVpnGateway',
  access: 'write',
  input: inputs.CreateVpnGateway,
  validate(input) {
    checkEnum('Type', input.Type, ['ipsec.1'] as const);
  },
  output: outputs.CreateVpnGateway,
  async handle(ctx, input, services) {
    authorize(ctx, 'write', 'CreateVpnGateway'); // before the checks below, which a read-only key must not reach
    const bgpAsn = input.AmazonSideAsn ?? 64512;
    if (!isAmazonSideAsn(bgpAsn)) {
      throw invalidValue(
        'amazonSideAsn',
        String(bgpAsn),
        'Expecting a private ASN in the range 64512 to 65534 or 4200000000 to 4294967294.',
      );
    }
    if (input.AvailabilityZone !== undefined && !/^[a-z]{2}(-[a-z]+)+-[0-9]+[a-z]$/.test(input.AvailabilityZone)) {
      throw invalidValue('availabilityZone', input.AvailabilityZone, 'Expecting an availability zone name such as us-east-1a.');
    }
    const tags = tagSpecificationTags(input.TagSpecifications, 'vpn-gateway');
    // Tags go through the tag service, which holds EC2's limits (the domain create allows fewer).
    const gateway = await services.gateways.create(ctx, {
      bgpAsn,
      availabilityZoneIds: input.AvailabilityZone ? [input.AvailabilityZone] : [],
      tags: [],
    });
    if (tags.length > 0) {
      await services.tags.create(ctx, [gateway.id], tags).catch((err: unknown) => {
        throw ec2TagError(err);
      });
    }
    return { VpnGateway: renderVpnGatewayWithZone({ ...gateway, tags }) };
  },
});
