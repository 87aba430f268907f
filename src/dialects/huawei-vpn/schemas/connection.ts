// Request bodies of the VPN connection operations, with the ranges of the API reference.
import { type Static, Type } from '@sinclair/typebox';
import { HUAWEI_DH_GROUP, HUAWEI_ENCRYPTION, HUAWEI_INTEGRITY } from '../names.ts';
import { cidr, intRange, name, obj, oneOf, str, tags, validator } from './validate.ts';

const encryption = oneOf(Object.keys(HUAWEI_ENCRYPTION));
const integrity = oneOf(Object.keys(HUAWEI_INTEGRITY));
const dhGroup = oneOf(Object.keys(HUAWEI_DH_GROUP));

const dpd = Type.Partial(
  obj({
    timeout: intRange(2, 60),
    interval: intRange(10, 3600),
    msg: oneOf(['seq-hash-notify', 'seq-notify-hash']),
  }),
);

const ikePolicy = Type.Partial(
  obj({
    ike_version: oneOf(['v1', 'v2']),
    phase1_negotiation_mode: oneOf(['main', 'aggressive']),
    authentication_algorithm: integrity,
    encryption_algorithm: encryption,
    dh_group: dhGroup,
    authentication_method: oneOf(['pre-share', 'digital-envelope-v2']),
    lifetime_seconds: intRange(60, 604800),
    local_id_type: oneOf(['ip', 'fqdn']),
    local_id: str(1, 255),
    peer_id_type: oneOf(['ip', 'fqdn']),
    peer_id: str(1, 255),
    dpd,
  }),
);

const ipsecPolicy = Type.Partial(
  obj({
    authentication_algorithm: integrity,
    encryption_algorithm: encryption,
    pfs: oneOf([...Object.keys(HUAWEI_DH_GROUP), 'disable']),
    transform_protocol: oneOf(['esp']),
    lifetime_seconds: intRange(30, 604800),
    encapsulation_mode: oneOf(['tunnel']),
  }),
);

const policyRule = obj({
  rule_index: intRange(0, 50),
  source: cidr(),
  destination: Type.Array(cidr(), { minItems: 1, maxItems: 50 }),
});

const tunnelAddress = () =>
  Type.String({
    format: 'tunnel-address',
    errorMessage: 'must be an address in 169.254.0.0/16 with prefix /30, such as 169.254.56.225/30',
  });

const shared = {
  name: name(),
  peer_subnets: Type.Array(cidr(), { minItems: 1, maxItems: 50 }),
  tunnel_local_address: tunnelAddress(),
  tunnel_peer_address: tunnelAddress(),
  enable_nqa: Type.Boolean(),
  psk: Type.String({ minLength: 8, maxLength: 128, errorMessage: 'must be 8 to 128 characters' }),
  policy_rules: Type.Array(policyRule, { maxItems: 5 }),
  ikepolicy: ikePolicy,
  ipsecpolicy: ipsecPolicy,
};

export const CreateConnectionBody = obj({
  vpn_connection: obj({
    vgw_id: str(1, 64),
    vgw_ip: str(1, 64),
    cgw_id: str(1, 64),
    style: Type.Optional(oneOf(['policy', 'static', 'bgp', 'policy-template', 'POLICY', 'STATIC', 'BGP', 'POLICY-TEMPLATE'])),
    name: Type.Optional(shared.name),
    peer_subnets: Type.Optional(shared.peer_subnets),
    tunnel_local_address: Type.Optional(shared.tunnel_local_address),
    tunnel_peer_address: Type.Optional(shared.tunnel_peer_address),
    enable_nqa: Type.Optional(shared.enable_nqa),
    psk: Type.Optional(shared.psk),
    policy_rules: Type.Optional(shared.policy_rules),
    ikepolicy: Type.Optional(shared.ikepolicy),
    ipsecpolicy: Type.Optional(shared.ipsecpolicy),
    ha_role: Type.Optional(oneOf(['master', 'slave'])),
    enterprise_project_id: Type.Optional(str(1, 64)),
    connection_monitor_id: Type.Optional(str(1, 64)),
    tags: Type.Optional(tags()),
  }),
});

export const UpdateConnectionBody = obj({
  vpn_connection: Type.Partial(
    obj({
      ...shared,
      cgw_id: str(1, 64),
      ikepolicy: Type.Omit(ikePolicy, ['authentication_method']),
    }),
  ),
});

export type CreateConnectionBody = Static<typeof CreateConnectionBody>;
export type UpdateConnectionBody = Static<typeof UpdateConnectionBody>;
export type IkePolicyBody = Static<typeof ikePolicy>;
export type IpsecPolicyBody = Static<typeof ipsecPolicy>;

export const validateCreateConnection = validator(CreateConnectionBody);
export const validateUpdateConnection = validator(UpdateConnectionBody);
