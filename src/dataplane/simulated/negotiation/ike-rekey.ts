// An IKE_SA rekey as charon does it: only the IKE_SA is negotiated anew; the CHILD_SA moves to the
// new IKE_SA with its keys, algorithms and traffic selectors unchanged (seen in the lab: same
// CHILD_SA unique id and SPIs in list-sas before and after).
//
//   IKEv2  CREATE_CHILD_SA request [ SA No KE ] for the IKE_SA alone (RFC 7296 §1.3.2): proposals
//          and KE only; no AUTH, so a changed PSK or identity shows at no IKEv2 rekey.
//          The initiator sends KE for the current IKE_SA's group and offers it first (charon
//          promotes the old group); the responder may still answer INVALID_KE_PAYLOAD.
//   IKEv1  there is no rekey: charon reauthenticates (a new Main/Aggressive Mode, PSK and
//          identities checked again) and the new ISAKMP SA adopts the quick-mode SAs.
import type { NegotiatedParameters } from '../../../domain/entities.ts';
import type { TunnelIntent } from '../../driver.ts';
import { phase1V1 } from './ikev1.ts';
import { negotiateSa } from './ikev2.ts';
import { negotiate } from './negotiate.ts';
import { type NegotiationOutcome, Transcript } from './outcome.ts';
import { devicePeer, type Exchange, gatewayPeer, type Peer } from './peers.ts';
import { dhName, type Proposal, type Selected, toNegotiated } from './proposals.ts';

/** The CHILD_SA that moves to the new IKE_SA unchanged. */
export interface CurrentSa {
  params: NegotiatedParameters;
  selectors: { local: string[]; remote: string[] };
  narrowed?: boolean;
}

/** Proposals with `group` first, and `group` first inside each of them (charon promotes the old group). */
export function promoteGroup(proposals: Proposal[], group: number): Proposal[] {
  const has = (p: Proposal) => p.dh.includes(group as Proposal['dh'][number]);
  const promoted = (p: Proposal): Proposal =>
    has(p) ? { ...p, dh: [group as Proposal['dh'][number], ...p.dh.filter((g) => g !== group)] } : p;
  return [...proposals.filter(has), ...proposals.filter((p) => !has(p))].map(promoted);
}

/** Rekeys the IKE_SA of `current`; the gateway initiates, with the intent's current profiles. */
export function rekeyIkeSa(intent: TunnelIntent, current: CurrentSa, opts: { keRetries?: number } = {}): NegotiationOutcome {
  const version = current.params.ikeVersion;
  const gateway: Peer = { ...gatewayPeer(intent), versions: [version] };
  const device: Peer = { ...devicePeer(intent, gateway), versions: [version] };
  // A silent device: the gateway retransmits and gives up, as in any exchange it initiates.
  if (!device.reachable) return negotiate(intent, { initiator: 'gateway', keRetries: opts.keRetries });
  const t = new Transcript();
  const initiator: Peer = version === 'v2' ? { ...gateway, ike: promoteGroup(gateway.ike, current.params.phase1.dhGroup) } : gateway;
  const x: Exchange = { intent, initiator, responder: device, gateway, device, t, keRetries: opts.keRetries ?? 1, childInAuth: false };
  const id = `${intent.tunnelId}[1]`;
  let phase1: Selected;
  if (version === 'v2') {
    t.add('gateway', `rekeying IKE_SA ${id} (CREATE_CHILD_SA for the IKE_SA alone; the CHILD_SA stays)`);
    const sa = (g: number) => `SA No ${g === 0 ? '' : `KE(${dhName(g as Proposal['dh'][number])}) `}`.trimEnd();
    const selected = negotiateSa(x, {
      name: 'CREATE_CHILD_SA',
      messageId: 2,
      phase: 1,
      offered: initiator.ike,
      accepted: device.ike,
      request: sa,
      response: sa,
    });
    if ('notify' in selected) return selected;
    phase1 = selected;
    t.add('gateway', `IKE_SA ${intent.tunnelId}[2] rekeyed between ${gateway.address}[${gateway.id}]...${device.address}[${device.id}]`);
    t.add('gateway', `sending DELETE for IKE_SA ${id}`);
  } else {
    t.add('gateway', `reauthenticating IKE_SA ${id} (IKEv1 has no IKE_SA rekey)`);
    const selected = phase1V1(x);
    if ('notify' in selected) return selected;
    phase1 = selected;
    t.add('device', 'detected reauth of existing IKE_SA, adopting 1 children and 0 virtual IPs');
  }
  t.add('gateway', `CHILD_SA ${intent.tunnelId}{1} kept on the new IKE_SA (keys and algorithms unchanged)`);
  const params: NegotiatedParameters = {
    ...current.params,
    phase1: toNegotiated(version, phase1, { protocol: 'ESP', encryption: current.params.phase2.encryption, dh: 0 }).phase1,
  };
  return { ok: true, params, selectors: current.selectors, narrowed: current.narrowed ?? false, log: t.lines };
}
