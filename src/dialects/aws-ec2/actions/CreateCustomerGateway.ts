// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateCustomerGateway.html
import { isIpv4 } from '../../../domain/cidr.ts';
import { authorize } from '../../../service/context.ts';
import { action } from '../action.ts';
import { Ec2Error } from '../errors.ts';
import { inputs, outputs } from '../generated/model.ts';
import { checkEnum, checkRange } from '../protocol/model-input-checks.ts';
import { invalidValue } from '../protocol/query-errors.ts';
import { renderCustomerGateway } from '../render.ts';
import { ec2TagError, tagSpecificationTags } from './CreateTags.ts';

/** BgpAsn is a 32-bit signed integer in the API model; larger ASNs go in BgpAsnExtended. */
const MAX_BGP_ASN = 2147483647;
const MAX_ASN = 4294967294;

export default action({
  name: 'CreateCustomerGateway',
  access: 'write',
  input: inputs.CreateCustomerGateway,
  validate(input) {
    checkEnum('Type', input.Type, ['ipsec.1'] as const);
    checkRange('BgpAsn', input.BgpAsn, { min: 1, max: MAX_ASN });
    checkRange('BgpAsnExtended', input.BgpAsnExtended, { min: MAX_BGP_ASN + 1, max: MAX_ASN });
  },
  output: outputs.CreateCustomerGateway,
  async handle(ctx, input, services) {
    authorize(ctx, 'write', 'CreateCustomerGateway'); // before the checks below, which a read-only key must not reach
    if (input.CertificateArn !== undefined) {
      throw new Ec2Error('UnsupportedOperation', 'Certificate-based customer gateways are not supported by sitevpn; use IpAddress.');
    }
    // PublicIp is the deprecated spelling of IpAddress.
    const ip = input.IpAddress ?? input.PublicIp;
    if (ip === undefined || ip === '') throw new Ec2Error('MissingParameter', 'The request must contain the parameter ipAddress');
    if (!isIpv4(ip)) throw invalidValue('ipAddress', ip, 'Expecting an IPv4 address.');
    if (input.BgpAsn !== undefined && input.BgpAsnExtended !== undefined) {
      throw new Ec2Error('InvalidParameterCombination', 'The parameters BgpAsn and BgpAsnExtended cannot be used together.');
    }
    const bgpAsn = input.BgpAsnExtended ?? input.BgpAsn ?? 65000;
    if (input.DeviceName !== undefined && input.DeviceName.length > 255) {
      throw invalidValue('deviceName', input.DeviceName, 'Expecting at most 255 characters.');
    }
    const tags = tagSpecificationTags(input.TagSpecifications, 'customer-gateway');
    // An identical request (type, address, ASN, device name) returns the existing customer gateway
    // (one made through this dialect: a Huawei one with the same address is another resource).
    const existing = (await services.customerGateways.list(ctx)).find(
      (c) =>
        c.id.startsWith('cgw-') &&
        c.state === 'available' &&
        c.idType === 'ip' &&
        c.idValue === ip &&
        c.bgpAsn === bgpAsn &&
        c.deviceName === input.DeviceName,
    );
    if (existing) return { CustomerGateway: renderCustomerGateway(existing) };
    // Tags go through the tag service, which holds EC2's limits (the domain create allows fewer).
    const cgw = await services.customerGateways.create(ctx, { idType: 'ip', idValue: ip, bgpAsn, deviceName: input.DeviceName, tags: [] });
    if (tags.length > 0) {
      await services.tags.create(ctx, [cgw.id], tags).catch((err: unknown) => {
        throw ec2TagError(err);
      });
    }
    return { CustomerGateway: renderCustomerGateway({ ...cgw, tags }) };
  },
});
