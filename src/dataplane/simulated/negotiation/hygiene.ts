// Remarks on a negotiated result as the simulator sees it: the data-plane-neutral ones
// (domain/hygiene.ts) plus the traffic selectors the simulated device narrows.

import type { NegotiatedParameters } from '../../../domain/entities.ts';
import { describeChoiceDrift, describeNarrowing } from '../../../domain/hygiene.ts';
import type { TunnelIntent } from '../../driver.ts';
import { agreeSelectors, deviceSelectors, gatewaySelectors } from './selectors.ts';

export { describeWeakChoices } from '../../../domain/hygiene.ts';

/**
 * Where the negotiated values leave the operator's first choices on the gateway: the IKE
 * version, each algorithm, the PFS group (or PFS itself), and traffic selectors the device
 * narrowed.
 */
export function describeDrift(intent: TunnelIntent, params: NegotiatedParameters): string[] {
  const drift = describeChoiceDrift(intent.config.ike, intent.config.ipsec, params);
  const gateway = gatewaySelectors(intent);
  const agreed = agreeSelectors(gateway, deviceSelectors(intent, gateway), 'v2', 'gateway');
  if (agreed.ok && agreed.narrowed) drift.push(describeNarrowing(agreed, gateway));
  return drift;
}
