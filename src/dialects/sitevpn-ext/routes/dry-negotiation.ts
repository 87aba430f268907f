// POST /sitevpn/v1/projects/{project_id}/vpn-connections/{vpn_connection_id}/dry-negotiation
// What the configured data plane would negotiate for each tunnel with a posted device profile (or
// the stored one): the negotiated values or the notify, phase and reason of the failure, with the
// log. Nothing is stored and nothing reaches a tunnel. A data plane that cannot tell answers
// VPN.0001 "dry negotiation is not supported by the ... data plane".
import { Type } from '@sinclair/typebox';
import { obj, oneOf, parseJsonBody, validator } from '../../shared/validate.ts';
import { renderNegotiated, renderSelectors } from '../render.ts';
import { extRoute } from '../route.ts';
import { DeviceProfileWire, fromWire } from '../schemas/device-profile.ts';

export const DryNegotiationBody = obj({
  device_profile: Type.Optional(DeviceProfileWire),
  initiator: Type.Optional(oneOf(['gateway', 'device'])),
});
const validateBody = validator(DryNegotiationBody);

export default extRoute({
  method: 'POST',
  url: '/vpn-connections/:vpn_connection_id/dry-negotiation',
  status: 200,
  async handle({ ctx, params, body }, { services }) {
    const input = body.length === 0 ? {} : validateBody(parseJsonBody(body));
    const device = input.device_profile ? fromWire(input.device_profile) : undefined;
    const run = await services.negotiation.dryRun(ctx, params.vpn_connection_id, { device, initiator: input.initiator });
    return {
      vpn_connection_id: run.connection.id,
      device_profile: run.deviceProfile,
      tunnels: run.tunnels.map(({ tunnel, initiator, outcome, remarks }) => {
        const head = { tunnel_id: tunnel.id, tunnel_index: tunnel.index, initiator };
        if (outcome.ok) {
          return {
            ...head,
            outcome: 'success',
            negotiated: renderNegotiated(outcome.params),
            selectors: renderSelectors(outcome.selectors),
            narrowed: outcome.narrowed,
            weak: remarks?.weak ?? [],
            drift: remarks?.drift ?? [],
            log: outcome.log,
          };
        }
        if (outcome.notify === 'NONE') return { ...head, outcome: 'idle', reason: outcome.reason, log: outcome.log };
        return { ...head, outcome: 'failure', notify: outcome.notify, phase: outcome.phase, reason: outcome.reason, log: outcome.log };
      }),
    };
  },
});
