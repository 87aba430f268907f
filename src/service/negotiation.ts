// Dry negotiations: what the configured data plane would negotiate for each tunnel of a
// connection with a posted device profile (or the stored one). Nothing is stored and no tunnel is
// touched. A data plane that cannot answer by its own rules says so; no other engine stands in.

import { canDryNegotiate, type DataplaneDriver, type DryRunOutcome, type TunnelRemarks } from '../dataplane/driver.ts';
import type { DeviceProfile, Tunnel, VpnConnection } from '../domain/entities.ts';
import { DomainError } from '../domain/errors.ts';
import type { Store } from '../store/store.ts';
import { authorize, type RequestContext } from './context.ts';
import { remarksOf } from './diagnostics.ts';
import { connectionIntents } from './intents.ts';

export type Initiator = 'gateway' | 'device';

export interface DryRunTunnel {
  tunnel: Tunnel;
  initiator: Initiator;
  outcome: DryRunOutcome;
  /** Remarks on the result, when it succeeded. */
  remarks?: TunnelRemarks;
}

export interface DryRun {
  connection: VpnConnection;
  /** Which device profile was played: the posted one, the stored one, or none. */
  deviceProfile: 'posted' | 'stored' | 'none';
  tunnels: DryRunTunnel[];
}

export class NegotiationService {
  readonly #store: Store;
  readonly #dataplane: DataplaneDriver;

  constructor(store: Store, dataplane: DataplaneDriver) {
    this.#store = store;
    this.#dataplane = dataplane;
  }

  /**
   * Each tunnel's first attempt: the gateway initiates when its startup action is start, else the
   * device does, unless `initiator` says who.
   */
  async dryRun(ctx: RequestContext, connectionId: string, opts: { device?: DeviceProfile; initiator?: Initiator } = {}): Promise<DryRun> {
    authorize(ctx, 'read', 'DescribeVpnConnections');
    const dataplane = this.#dataplane;
    if (!canDryNegotiate(dataplane)) {
      throw new DomainError('Unsupported', `dry negotiation is not supported by the ${dataplane.name} data plane`);
    }
    const { connection, tunnels } = await connectionIntents(this.#store, ctx, connectionId, opts.device);
    return {
      connection,
      deviceProfile: opts.device ? 'posted' : tunnels[0]?.intent.device ? 'stored' : 'none',
      tunnels: tunnels.map(({ tunnel, intent }) => {
        const initiator = opts.initiator ?? (intent.config.startupAction === 'start' ? 'gateway' : 'device');
        const outcome = dataplane.dryNegotiate(intent, { initiator });
        const remarks = outcome.ok ? remarksOf(dataplane, intent, outcome.params, outcome.selectors) : undefined;
        return { tunnel, initiator, outcome, remarks };
      }),
    };
  }
}
