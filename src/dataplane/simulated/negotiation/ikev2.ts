// IKEv2 as the simulator plays it (RFC 7296):
//
//   IKE_SA_INIT      request 0  [ SA KE(g) No ]       -> [ SA KE No ] | N(INVAL_KE g') | N(NO_PROP)
//   IKE_AUTH         request 1  [ IDi IDr AUTH SA TSi TSr ] -> [ IDr AUTH SA TSi TSr ] | N(AUTH_FAILED)
//                                                        | (IKE_SA up) N(TS_UNACCEPT) | N(NO_PROP)
//   CREATE_CHILD_SA  request 2  [ SA No KE TSi TSr ]  -> [ SA No KE TSi TSr ] | N(TS_UNACCEPT)
//                                                        | N(NO_PROP) | N(INVAL_KE g')
//
// The first CHILD_SA rides in IKE_AUTH without a key exchange (§1.2): no PFS group is negotiated
// and PFS settings do not matter until the first CHILD_SA rekey. It is created in its own
// CREATE_CHILD_SA (with KE) when the initiator goes childless (RFC 6023; the strongSwan driver
// does when it initiates with PFS) and at a CHILD_SA rekey.
// The initiator sends KE for the first DH group of its first proposal. The responder picks by its
// own configured order (charon's prefer_configured_proposals) unless its profile says otherwise;
// when its pick uses another group it answers INVALID_KE_PAYLOAD naming that group, even if the
// group the initiator sent was acceptable too, and the initiator retries with it.
import type { NegotiationFailure, NegotiationOutcome } from './outcome.ts';
import { type Exchange, identityMismatch, type Peer, PSK_MISMATCH, succeed } from './peers.ts';
import {
  type DhOrNone,
  dhName,
  explainNoProposal,
  formatProposals,
  formatSelected,
  type Proposal,
  type Selected,
  selectProposal,
  withoutPfs,
} from './proposals.ts';
import { agreeSelectors, formatSelectors } from './selectors.ts';

export interface SaExchange {
  name: 'IKE_SA_INIT' | 'IKE_AUTH' | 'CREATE_CHILD_SA';
  messageId: number;
  phase: 1 | 2;
  offered: Proposal[];
  accepted: Proposal[];
  request: (ke: DhOrNone) => string;
  response: (ke: DhOrNone) => string;
  /** What the responder checks before it looks at the proposals (the traffic selectors). */
  precheck?: () => NegotiationFailure | null;
}

function ke(group: DhOrNone): string {
  return group === 0 ? '' : `KE(${dhName(group)}) `;
}

function describeKe(group: DhOrNone): string {
  return group === 0 ? 'no KE payload' : `a KE payload for group ${group}`;
}

/** One SA negotiation, with the INVALID_KE_PAYLOAD round trips it takes. */
export function negotiateSa(x: Exchange, e: SaExchange): Selected | NegotiationFailure {
  const { initiator: I, responder: R, t } = x;
  const mid = e.messageId;
  let group: DhOrNone = e.offered[0]?.dh[0] ?? 0;
  for (let retries = 0; ; retries++) {
    t.add(I.role, `sending ${e.name} request ${mid} [ ${e.request(group)} ]`);
    t.add(R.role, `received ${e.name} request ${mid} [ ${e.request(group)} ]`);
    const refused = e.precheck?.();
    if (refused) return refused;
    t.add(R.role, `received proposals: ${formatProposals(e.offered)}`);
    t.add(R.role, `configured proposals: ${formatProposals(e.accepted)}`);
    const selected = selectProposal(e.offered, e.accepted, R.prefer);
    if (!selected) {
      t.add(R.role, 'received proposals unacceptable');
      t.add(R.role, `sending ${e.name} response ${mid} [ N(NO_PROP) ]`);
      t.add(I.role, `received NO_PROPOSAL_CHOSEN notify error`);
      return t.fail('NO_PROPOSAL_CHOSEN', e.phase, explainNoProposal(e.offered, e.accepted, I.role, R.role));
    }
    t.add(R.role, `selected proposal: ${formatSelected(selected)}`);
    if (selected.dh !== 0 && selected.dh !== group) {
      t.add(R.role, `DH group ${dhName(group)} unacceptable, requesting ${dhName(selected.dh)}`);
      t.add(R.role, `sending ${e.name} response ${mid} [ N(INVAL_KE) ]`);
      t.add(I.role, `peer didn't accept DH group ${dhName(group)}, it requested ${dhName(selected.dh)}`);
      if (retries >= x.keRetries) {
        const gaveUp = retries === 0 ? 'does not retry' : `gave up after ${retries} retries`;
        return t.fail(
          'INVALID_KE_PAYLOAD',
          e.phase,
          `${R.role} requested DH group ${selected.dh}, ${I.role} sent ${describeKe(group)} and ${gaveUp}`,
        );
      }
      group = selected.dh;
      continue;
    }
    t.add(R.role, `sending ${e.name} response ${mid} [ ${e.response(selected.dh)} ]`);
    t.add(I.role, `received ${e.name} response ${mid} [ ${e.response(selected.dh)} ]`);
    t.add(I.role, `selected proposal: ${formatSelected(selected)}`);
    return selected;
  }
}

function established(self: Peer, other: Peer): string {
  return `${self.address}[${self.id}]...${other.address}[${other.id}]`;
}

/** IKE_AUTH: the responder checks IDi, then the IDr the initiator asks for, then the PSK. */
function ikeAuth(x: Exchange): NegotiationFailure | null {
  const { initiator: I, responder: R, t, intent } = x;
  const payloads = 'IDi IDr AUTH N(INIT_CONTACT)';
  t.add(I.role, `authentication of '${I.id}' (myself) with pre-shared key`);
  t.add(I.role, `sending IKE_AUTH request 1 [ ${payloads} ]`);
  t.add(R.role, `received IKE_AUTH request 1 [ ${payloads} ]`);
  t.add(R.role, `looking for peer configs matching ${R.address}[${I.expectsPeerId}]...${I.address}[${I.id}]`);
  const refuse = (line: string, detail: string): NegotiationFailure => {
    t.add(R.role, line);
    t.add(R.role, 'sending IKE_AUTH response 1 [ N(AUTH_FAILED) ]');
    t.add(I.role, 'received AUTHENTICATION_FAILED notify error');
    return t.fail('AUTHENTICATION_FAILED', 1, detail);
  };
  const idi = identityMismatch(R, I);
  if (idi) return refuse(`no matching peer config found for '${I.id}'`, idi);
  const idr = identityMismatch(I, R);
  if (idr) return refuse(`no matching peer config found for requested identity '${I.expectsPeerId}'`, idr);
  if (I.psk !== R.psk) return refuse(`tried 1 shared key for '${R.id}' - '${I.id}', but MAC mismatched`, PSK_MISMATCH);
  t.add(R.role, `authentication of '${I.id}' with pre-shared key successful`);
  t.add(R.role, `authentication of '${R.id}' (myself) with pre-shared key`);
  t.add(R.role, `IKE_SA ${intent.tunnelId}[1] established between ${established(R, I)}`);
  t.add(R.role, 'sending IKE_AUTH response 1 [ IDr AUTH ]');
  t.add(I.role, 'received IKE_AUTH response 1 [ IDr AUTH ]');
  t.add(I.role, `authentication of '${R.id}' with pre-shared key successful`);
  t.add(I.role, `IKE_SA ${intent.tunnelId}[1] established between ${established(I, R)}`);
  return null;
}

export function runIkeV2(x: Exchange): NegotiationOutcome {
  const { initiator: I, responder: R, t, intent } = x;
  t.add(I.role, `initiating IKE_SA ${intent.tunnelId}[1] to ${R.address}`);
  const phase1 = negotiateSa(x, {
    name: 'IKE_SA_INIT',
    messageId: 0,
    phase: 1,
    offered: I.ike,
    accepted: R.ike,
    request: (g) => `SA ${ke(g)}No N(NATD_S_IP) N(NATD_D_IP) N(CHILDLESS_IKEV2_SUP)`,
    response: (g) => `SA ${ke(g)}No N(NATD_S_IP) N(NATD_D_IP) N(CHILDLESS_IKEV2_SUP)`,
  });
  if ('notify' in phase1) return phase1;
  const authFailure = ikeAuth(x);
  if (authFailure) return authFailure;

  const proposed = I.selectors;
  const agreed = agreeSelectors(x.gateway.selectors, x.device.selectors, 'v2', I.role);
  t.add(I.role, `proposing traffic selectors ${formatSelectors(proposed)}`);
  const inAuth = x.childInAuth;
  const name = inAuth ? 'IKE_AUTH' : 'CREATE_CHILD_SA';
  const mid = inAuth ? 1 : 2;
  const phase2 = negotiateSa(x, {
    name,
    messageId: mid,
    phase: 2,
    offered: inAuth ? withoutPfs(I.esp) : I.esp,
    accepted: inAuth ? withoutPfs(R.esp) : R.esp,
    request: (g) => (inAuth ? 'SA TSi TSr' : `SA No ${ke(g)}TSi TSr`),
    response: (g) => (inAuth ? 'SA TSi TSr' : `SA No ${ke(g)}TSi TSr`),
    precheck: () => {
      if (agreed.ok) return null;
      t.add(R.role, `traffic selectors ${formatSelectors({ local: proposed.remote, remote: proposed.local })} unacceptable`);
      t.add(R.role, `sending ${name} response ${mid} [ N(TS_UNACCEPT) ]`);
      t.add(I.role, 'received TS_UNACCEPTABLE notify, no CHILD_SA built');
      return t.fail('TS_UNACCEPTABLE', 2, agreed.detail);
    },
  });
  if ('notify' in phase2) return phase2;
  return succeed(x, 'v2', phase1, phase2, agreed);
}
