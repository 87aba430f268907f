// POST /sitevpn/v1/projects/{project_id}/vpn-connections/{vpn_connection_id}/dry-negotiation
// What negotiate() would give each tunnel with a posted device profile (or the stored one):
// the negotiated values or the notify, phase and reason of the failure, with the log. Nothing
// is stored and nothing reaches the data plane.
import { Type } from '@sinclair/typebox';
import { describeDrift, describeWeakChoices, negotiate } from '../../../dataplane/simulated/negotiation/index.ts';
import { obj, oneOf, parseJsonBody, validator } from '../../huawei-vpn/schemas/validate.ts';
import { extRoute } from '../route.ts';
import { renderNegotiated, renderSelectors } from '../render.ts';
import { DeviceProfileWire, fromWire } from '../schemas/device-profile.ts';

const validateBody = validator(
  obj({
    device_profile: Type.Optional(DeviceProfileWire),
    initiator: Type.Optional(oneOf(['gateway', 'device'])),
  }),
);

export default extRoute({
  method: 'POST',
  url: '/vpn-connections/:vpn_connection_id/dry-negotiation',
  status: 200,
  async handle({ ctx, params, body }, { services }) {
    const input = body.length === 0 ? {} : validateBody(parseJsonBody(body));
    const posted = input.device_profile ? fromWire(input.device_profile) : undefined;
    const { connection, tunnels } = await services.deviceProfiles.intents(ctx, params.vpn_connection_id, posted);
    return {
      vpn_connection_id: connection.id,
      device_profile: posted ? 'posted' : tunnels[0]?.intent.device ? 'stored' : 'none',
      tunnels: tunnels.map(({ tunnel, intent }) => {
        // The engine's first attempt: the gateway initiates with startup action start, else the
        // device does; one INVALID_KE_PAYLOAD retry, as the simulated driver's default.
        const initiator = input.initiator ?? (intent.config.startupAction === 'start' ? 'gateway' : 'device');
        const outcome = negotiate(intent, { initiator, keRetries: 1 });
        const head = { tunnel_id: tunnel.id, tunnel_index: tunnel.index, initiator };
        if (outcome.ok) {
          return {
            ...head,
            outcome: 'success',
            negotiated: renderNegotiated(outcome.params),
            selectors: renderSelectors(outcome.selectors),
            narrowed: outcome.narrowed,
            weak: describeWeakChoices(outcome.params),
            drift: describeDrift(intent, outcome.params),
            log: outcome.log,
          };
        }
        if (outcome.notify === 'NONE') return { ...head, outcome: 'idle', reason: outcome.reason, log: outcome.log };
        return { ...head, outcome: 'failure', notify: outcome.notify, phase: outcome.phase, reason: outcome.reason, log: outcome.log };
      }),
    };
  },
});
