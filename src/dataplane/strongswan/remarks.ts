// Diagnostics remarks from charon's point of view: the data-plane-neutral ones (weak algorithms,
// drift from the first choices) plus narrowing, read from the selectors charon actually installed
// against the conn's local_ts/remote_ts (conn-config.ts), never guessed from a device profile.
import { normalizeCidrs } from '../../domain/cidr.ts';
import type { NegotiatedParameters } from '../../domain/entities.ts';
import { describeChoiceDrift, describeNarrowing, describeWeakChoices } from '../../domain/hygiene.ts';
import type { Selectors, TunnelIntent, TunnelRemarks } from '../driver.ts';

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

export function strongswanRemarks(intent: TunnelIntent, negotiated: NegotiatedParameters, installed?: Selectors): TunnelRemarks {
  const drift = describeChoiceDrift(intent.config.ike, intent.config.ipsec, negotiated);
  if (installed) {
    const configured = { local: normalizeCidrs(intent.local.subnets), remote: normalizeCidrs(intent.remote.subnets) };
    const agreed = { local: normalizeCidrs(installed.local), remote: normalizeCidrs(installed.remote) };
    if (!sameSet(agreed.local, configured.local) || !sameSet(agreed.remote, configured.remote))
      drift.push(describeNarrowing(agreed, configured));
  }
  return { weak: describeWeakChoices(negotiated), drift };
}
