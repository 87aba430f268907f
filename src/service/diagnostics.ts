// Per-tunnel diagnostics of a connection: what was observed (from the store, never asked of the
// data plane) and the remarks on it, which the configured data plane makes from its own view
// (the simulator narrows selectors as its device would; strongSwan reads what charon installed).

import { canDiagnose, type DataplaneDriver, type Selectors, type TunnelIntent, type TunnelRemarks } from '../dataplane/driver.ts';
import type { NegotiatedParameters, Tunnel, VpnConnection } from '../domain/entities.ts';
import { describeChoiceDrift, describeWeakChoices } from '../domain/hygiene.ts';
import type { Store } from '../store/store.ts';
import type { RequestContext } from './context.ts';
import { connectionIntents } from './intents.ts';

export interface TunnelDiagnosis {
  tunnel: Tunnel;
  intent: TunnelIntent;
  remarks: TunnelRemarks;
}

const NONE: TunnelRemarks = Object.freeze({ weak: [], drift: [] }) as TunnelRemarks;

/** The data plane's remarks, or the data-plane-neutral ones from a driver that makes none. */
export function remarksOf(
  dataplane: DataplaneDriver,
  intent: TunnelIntent,
  negotiated: NegotiatedParameters,
  selectors?: Selectors,
): TunnelRemarks {
  if (canDiagnose(dataplane)) return dataplane.remarks(intent, { negotiated, selectors });
  return { weak: describeWeakChoices(negotiated), drift: describeChoiceDrift(intent.config.ike, intent.config.ipsec, negotiated) };
}

export class DiagnosticsService {
  readonly #store: Store;
  readonly #dataplane: DataplaneDriver;

  constructor(store: Store, dataplane: DataplaneDriver) {
    this.#store = store;
    this.#dataplane = dataplane;
  }

  async diagnose(ctx: RequestContext, connectionId: string): Promise<{ connection: VpnConnection; tunnels: TunnelDiagnosis[] }> {
    const { connection, tunnels } = await connectionIntents(this.#store, ctx, connectionId);
    return {
      connection,
      tunnels: tunnels.map(({ tunnel, intent }) => {
        const { negotiated, selectors } = tunnel.observed;
        return { tunnel, intent, remarks: negotiated ? remarksOf(this.#dataplane, intent, negotiated, selectors) : NONE };
      }),
    };
  }
}
