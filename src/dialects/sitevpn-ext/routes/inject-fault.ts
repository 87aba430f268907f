// POST /sitevpn/v1/projects/{project_id}/vpn-connections/{vpn_connection_id}/faults
// {"fault": "peer-unreachable"|"peer-reachable"|"force-rekey"|"dpd-timeout", "tunnel_index"?: n}
// Admin keys only; what the fault does shows up later in the status and the history.
import { Type } from '@sinclair/typebox';
import { obj, oneOf, parseJsonBody, validator } from '../../shared/validate.ts';
import { extRoute } from '../route.ts';

const FAULTS = ['peer-unreachable', 'peer-reachable', 'force-rekey', 'dpd-timeout'] as const;

export const InjectFaultBody = obj({
  fault: oneOf(FAULTS),
  tunnel_index: Type.Optional(Type.Integer({ minimum: 0, errorMessage: 'must be an integer of at least 0' })),
});
const validateBody = validator(InjectFaultBody);

export default extRoute({
  method: 'POST',
  url: '/vpn-connections/:vpn_connection_id/faults',
  status: 202,
  async handle({ ctx, params, body }, { services }) {
    const input = validateBody(parseJsonBody(body));
    const tunnels = await services.deviceProfiles.injectFault(ctx, params.vpn_connection_id, { kind: input.fault }, input.tunnel_index);
    return { vpn_connection_id: params.vpn_connection_id, fault: input.fault, tunnel_ids: tunnels.map((t) => t.id) };
  },
});
