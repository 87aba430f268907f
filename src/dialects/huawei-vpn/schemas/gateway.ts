// Request bodies of the VPN gateway operations, with the ranges of the API reference
// (CreateVgwRequestBodyContent, CreateRequestEip, UpdateVgwRequestBodyContent).
import { type Static, Type } from '@sinclair/typebox';
import { cidr, intRange, name, obj, oneOf, str, tags, validator } from './validate.ts';

/** Huawei resource ids are 36-character UUIDs (the documents' examples mask some hex digits). */
export const uuid = () =>
  Type.String({
    pattern: '^[A-Za-z0-9]{8}-[A-Za-z0-9]{4}-[A-Za-z0-9]{4}-[A-Za-z0-9]{4}-[A-Za-z0-9]{12}$',
    errorMessage: 'must be a UUID of 36 characters',
  });

export const enterpriseProjectId = () =>
  Type.String({
    pattern: '^(0|[A-Za-z0-9]{8}-[A-Za-z0-9]{4}-[A-Za-z0-9]{4}-[A-Za-z0-9]{4}-[A-Za-z0-9]{12})$',
    errorMessage: 'must be 0 or a UUID of 36 characters',
  });

export const FLAVORS = ['Basic', 'Professional1', 'Professional2', 'GM'] as const;

/** An EIP: either an existing one by id, or the parameters of a new one. */
const eip = Type.Partial(
  obj({
    id: uuid(),
    type: oneOf(['5_bgp', '5_sbgp']),
    charge_mode: oneOf(['bandwidth', 'traffic']),
    bandwidth_size: intRange(1, 1000),
    bandwidth_name: name('bandwidth_name'),
    bandwidth_id: uuid(),
  }),
);

const localSubnets = () => Type.Array(cidr(), { minItems: 1, maxItems: 50 });

export const CreateGatewayBody = obj({
  vpn_gateway: Type.Partial(
    obj({
      name: name(),
      network_type: oneOf(['public', 'private']),
      attachment_type: oneOf(['vpc', 'er']),
      ip_version: oneOf(['ipv4']),
      er_id: uuid(),
      vpc_id: uuid(),
      local_subnets: localSubnets(),
      connect_subnet: uuid(),
      bgp_asn: intRange(1, 4294967295),
      flavor: oneOf(FLAVORS),
      availability_zone_ids: Type.Array(str(1, 64), { minItems: 1, maxItems: 2 }),
      enterprise_project_id: enterpriseProjectId(),
      eip1: eip,
      eip2: eip,
      ha_mode: oneOf(['active-active', 'active-standby']),
      tags: tags(),
    }),
  ),
});

export const UpdateGatewayBody = obj({
  vpn_gateway: Type.Partial(
    obj({
      name: name(),
      local_subnets: localSubnets(),
    }),
  ),
});

export type CreateGatewayBody = Static<typeof CreateGatewayBody>;
export type EipBody = Static<typeof eip>;

export const validateCreateGateway = validator(CreateGatewayBody);
export const validateUpdateGateway = validator(UpdateGatewayBody);
