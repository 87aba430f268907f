// POST /v5/{project_id}/vpn-gateways — https://support.huaweicloud.com/intl/en-us/api-vpn/CreateVgw.html

import type { EipSpec } from '../../../domain/entities.ts';
import { NO_CONNECTIONS } from '../../../service/quotas.ts';
import { eipConflict, invalidRequest } from '../errors.ts';
import { FLAVOR_BANDWIDTH, renderCreatedGateway } from '../render/gateway.ts';
import { route } from '../route.ts';
import { type CreateGatewayBody, type EipBody, validateCreateGateway } from '../schemas/gateway.ts';
import { parseJsonBody } from '../schemas/validate.ts';
import { zonesFor } from './list-availability-zones.ts';

type GatewayBody = CreateGatewayBody['vpn_gateway'];

export default route({
  method: 'POST',
  url: '/vpn-gateways',
  status: 201,
  async handle({ ctx, body }, services) {
    const input = validateCreateGateway(parseJsonBody(body)).vpn_gateway;
    const attachmentType = input.attachment_type ?? 'vpc';
    const networkType = input.network_type ?? 'public';
    const flavor = input.flavor ?? 'Professional1';
    checkAttachment(input, attachmentType);
    if (flavor === 'Basic' && attachmentType === 'er')
      throw invalidRequest('vpn_gateway.flavor cannot be Basic when attachment_type is er');
    if (flavor === 'Basic' && networkType === 'private')
      throw invalidRequest('vpn_gateway.flavor cannot be Basic when network_type is private');
    for (const key of ['eip1', 'eip2'] as const) {
      const eip = input[key];
      if (eip === undefined) continue;
      if (networkType !== 'public') throw invalidRequest(`vpn_gateway.${key} can be set only when network_type is public`);
      checkEip(eip, `vpn_gateway.${key}`, FLAVOR_BANDWIDTH[flavor], flavor);
    }
    if (input.eip1?.id !== undefined && input.eip1.id === input.eip2?.id) {
      throw invalidRequest('vpn_gateway.eip1.id and vpn_gateway.eip2.id must be different');
    }
    const zones = await zonesFor(services, ctx, flavor, attachmentType);
    const availabilityZoneIds = input.availability_zone_ids ?? zones.slice(0, 2);
    checkZones(availabilityZoneIds, zones, flavor, attachmentType);
    const gateway = await services.gateways.create(ctx, {
      name: input.name,
      attachmentType,
      vpcId: input.vpc_id,
      erId: input.er_id,
      localSubnets: input.local_subnets,
      connectSubnet: input.connect_subnet,
      bgpAsn: input.bgp_asn,
      flavor,
      networkType,
      haMode: input.ha_mode,
      availabilityZoneIds,
      enterpriseProjectId: input.enterprise_project_id,
      tags: input.tags,
      eips: [eipSpec(input.eip1), eipSpec(input.eip2)],
    });
    return { vpn_gateway: renderCreatedGateway(gateway, NO_CONNECTIONS) };
  },
});

/** A new EIP's parameters as given; an existing EIP named by id keeps sitevpn's own. */
function eipSpec(eip: EipBody | undefined): EipSpec | undefined {
  if (!eip || eip.id !== undefined) return undefined;
  return {
    type: eip.type,
    chargeMode: eip.charge_mode,
    bandwidthSize: eip.bandwidth_size,
    bandwidthName: eip.bandwidth_name,
    bandwidthId: eip.bandwidth_id,
  };
}

/** What each association mode needs and refuses (CreateVgwRequestBodyContent). */
function checkAttachment(input: GatewayBody, attachmentType: 'vpc' | 'er'): void {
  if (attachmentType === 'vpc') {
    if (input.er_id !== undefined) throw invalidRequest('vpn_gateway.er_id can be set only when attachment_type is er');
    for (const field of ['vpc_id', 'local_subnets', 'connect_subnet'] as const) {
      if (input[field] === undefined) throw invalidRequest(`vpn_gateway.${field} is required when attachment_type is vpc`);
    }
    return;
  }
  if (input.er_id === undefined) throw invalidRequest('vpn_gateway.er_id is required when attachment_type is er');
  if (input.local_subnets !== undefined) throw invalidRequest('vpn_gateway.local_subnets can be set only when attachment_type is vpc');
}

/** An EIP is an existing one (id) or a new one (type, and a bandwidth unless a shared one is named). */
function checkEip(eip: EipBody, path: string, maxBandwidth: number, flavor: string): void {
  const newEip =
    eip.type !== undefined ||
    eip.charge_mode !== undefined ||
    eip.bandwidth_size !== undefined ||
    eip.bandwidth_name !== undefined ||
    eip.bandwidth_id !== undefined;
  if (eip.id !== undefined) {
    if (newEip) throw eipConflict();
    return;
  }
  if (eip.type === undefined) throw invalidRequest(`${path}.type is required when ${path}.id is not given`);
  if (eip.bandwidth_id === undefined && eip.bandwidth_size === undefined) {
    throw invalidRequest(`${path}.bandwidth_size is required when ${path}.bandwidth_id is not given`);
  }
  if (eip.bandwidth_size !== undefined && eip.bandwidth_size > maxBandwidth) {
    throw invalidRequest(`${path}.bandwidth_size cannot exceed ${maxBandwidth} when flavor is ${flavor}`);
  }
}

/** Two zones where the flavor is offered in two or more, one where it is offered in one. */
function checkZones(ids: string[], offered: string[], flavor: string, attachmentType: string): void {
  const where = `a ${flavor} gateway attached to ${attachmentType === 'er' ? 'an enterprise router' : 'a VPC'}`;
  if (offered.length === 0) throw invalidRequest(`no availability zone offers ${where}`);
  const wanted = Math.min(2, offered.length);
  const unknown = ids.find((id) => !offered.includes(id));
  if (unknown !== undefined || ids.length !== wanted || new Set(ids).size !== ids.length) {
    throw invalidRequest(
      `vpn_gateway.availability_zone_ids must name ${wanted} different availability zones among ${offered.join(', ')} for ${where}`,
    );
  }
}
