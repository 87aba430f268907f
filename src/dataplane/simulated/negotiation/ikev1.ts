// IKEv1 as the simulator plays it (RFC 2409):
//
//   Main Mode    ID_PROT  [ SA ] -> [ SA ];  [ KE No ] -> [ KE No ];  [ ID HASH ] -> [ ID HASH ]
//   Aggressive   AGGRESSIVE  [ SA KE No ID ] -> [ SA KE No ID HASH ];  [ HASH ]
//   Quick Mode   QUICK_MODE  [ HASH SA No (KE) ID ID ] -> [ HASH SA No (KE) ID ID ];  [ HASH ]
//
// Phase-1 proposals are whole suites (cipher + hash + group + PSK auth); the initiator offers one
// suite per combination of its classic (non-AEAD) proposals, and the responder takes the first
// suite it accepts. IKEv1 has no AEAD for the ISAKMP SA. Aggressive Mode sends its KE in the first
// message, so it only offers suites with the group of its first suite. Quick Mode likewise sends
// one KE, so every ESP suite carries one PFS group: the IKE SA's when the initiator's ESP
// proposals allow it, else its first (as charon does); nothing is retried. The responder picks by
// its own configured order unless its profile says otherwise.
// A responder only accepts the phase-1 mode it is configured for. Quick-mode selectors are
// narrowed by the responder as in IKEv2 (charon does); disjoint ones are refused with
// INVALID_ID_INFORMATION on the wire, reported as TS_UNACCEPTABLE so that both versions share
// one set of outcomes.
import type { FailureNotify, NegotiationFailure, NegotiationOutcome } from './outcome.ts';
import { type Exchange, identityMismatch, type Peer, PSK_MISMATCH, succeed } from './peers.ts';
import {
  allEspV1Suites,
  dhName,
  espV1Suites,
  explainNoProposal,
  formatProposals,
  formatSelected,
  ikeV1Suites,
  isAeadProposal,
  type Proposal,
  type Selected,
  selectProposal,
} from './proposals.ts';
import { agreeSelectors, formatSelectors } from './selectors.ts';

const MODE_NAMES = { main: 'Main Mode', aggressive: 'Aggressive Mode' } as const;
const FIRST_MESSAGES = { main: 'ID_PROT request 0 [ SA V V V ]', aggressive: 'AGGRESSIVE request 0 [ SA KE No ID V V V ]' } as const;

/** Sends an IKEv1 notify (`wire` names it when IKEv1 spells the failure differently). */
function notifyFrom(
  x: Exchange,
  who: Peer,
  notify: FailureNotify,
  payload: string,
  phase: 1 | 2,
  detail: string,
  wire: string = notify,
): NegotiationFailure {
  const other = who === x.initiator ? x.responder : x.initiator;
  x.t.add(who.role, `sending INFORMATIONAL_V1 request [ ${payload} ]`);
  x.t.add(other.role, `received ${wire} error notify`);
  return x.t.fail(notify, phase, detail);
}

function ciphers(ps: Proposal[]): string {
  return [...new Set(ps.flatMap((p) => p.encryption))].join(' or ');
}

/** The responder's pick among the initiator's phase-1 suites. */
function selectSuite(x: Exchange, suites: Proposal[]): Selected | NegotiationFailure {
  const { initiator: I, responder: R, t } = x;
  const accepted = R.ike.filter((p) => !isAeadProposal(p));
  t.add(R.role, `received proposals: ${formatProposals(suites)}`);
  t.add(R.role, `configured proposals: ${formatProposals(accepted)}`);
  let detail: string | null = null;
  if (suites.length === 0 && I.ike.length > 0 && I.ike.every(isAeadProposal)) {
    detail = `IKEv1 cannot use AEAD ciphers for phase 1 (${I.role} offers only ${ciphers(I.ike)})`;
  } else if (accepted.length === 0 && R.ike.length > 0) {
    detail = `IKEv1 cannot use AEAD ciphers for phase 1 (${R.role} accepts only ${ciphers(R.ike)})`;
  }
  const selected = detail === null ? selectProposal(suites, ikeV1Suites(accepted), R.prefer) : null;
  if (!selected) {
    t.add(R.role, 'no acceptable proposal found');
    return notifyFrom(x, R, 'NO_PROPOSAL_CHOSEN', 'N(NO_PROP)', 1, detail ?? explainNoProposal(suites, accepted, I.role, R.role));
  }
  t.add(R.role, `selected proposal: ${formatSelected(selected)}`);
  return selected;
}

function mainMode(x: Exchange): Selected | NegotiationFailure {
  const { initiator: I, responder: R, t } = x;
  t.add(I.role, 'sending ID_PROT request 0 [ SA V V V ]');
  t.add(R.role, 'received ID_PROT request 0 [ SA V V V ]');
  const selected = selectSuite(x, ikeV1Suites(I.ike));
  if ('notify' in selected) return selected;
  t.add(R.role, 'sending ID_PROT response 0 [ SA V V V ]');
  t.add(I.role, `received ID_PROT response 0 [ SA V V V ], selected proposal: ${formatSelected(selected)}`);
  t.add(I.role, `sending ID_PROT request 0 [ KE(${dhName(selected.dh)}) No NAT-D NAT-D ]`);
  t.add(R.role, `sending ID_PROT response 0 [ KE(${dhName(selected.dh)}) No NAT-D NAT-D ]`);
  t.add(I.role, `authentication of '${I.id}' (myself) with pre-shared key`);
  t.add(I.role, 'sending ID_PROT request 0 [ ID HASH ]');
  // The last two messages are encrypted with keys derived from the PSK: a wrong key shows first.
  // charon sends no AUTHENTICATION_FAILED here: both sides fail to decrypt, the initiator times out.
  if (I.psk !== R.psk) {
    t.add(R.role, 'invalid ID_V1 payload length, decryption failed?');
    t.add(R.role, 'could not decrypt payloads');
    t.add(R.role, 'sending INFORMATIONAL_V1 request [ HASH N(PLD_MAL) ]');
    t.add(I.role, 'could not decrypt payloads');
    t.add(I.role, 'establishing IKE_SA failed, peer not responding');
    return t.fail('AUTHENTICATION_FAILED', 1, PSK_MISMATCH);
  }
  const idi = identityMismatch(R, I);
  if (idi) {
    t.add(R.role, `no peer config found for '${I.id}'`);
    return notifyFrom(x, R, 'AUTHENTICATION_FAILED', 'N(AUTH_FAILED)', 1, idi);
  }
  t.add(R.role, `authentication of '${I.id}' with pre-shared key successful`);
  t.add(R.role, `authentication of '${R.id}' (myself) with pre-shared key`);
  t.add(R.role, `IKE_SA ${x.intent.tunnelId}[1] established between ${R.address}[${R.id}]...${I.address}[${I.id}]`);
  t.add(R.role, 'sending ID_PROT response 0 [ ID HASH ]');
  const idr = identityMismatch(I, R);
  if (idr) {
    t.add(I.role, `IDr '${R.id}' does not match expected '${I.expectsPeerId}'`);
    return notifyFrom(x, I, 'AUTHENTICATION_FAILED', 'N(AUTH_FAILED)', 1, idr);
  }
  t.add(I.role, `authentication of '${R.id}' with pre-shared key successful`);
  t.add(I.role, `IKE_SA ${x.intent.tunnelId}[1] established between ${I.address}[${I.id}]...${R.address}[${R.id}]`);
  return selected;
}

function aggressiveMode(x: Exchange): Selected | NegotiationFailure {
  const { initiator: I, responder: R, t } = x;
  const all = ikeV1Suites(I.ike);
  const group = all[0]?.dh[0];
  const suites = all.filter((s) => s.dh[0] === group);
  t.add(I.role, `sending AGGRESSIVE request 0 [ SA KE(${dhName(group)}) No ID V V V ]`);
  t.add(R.role, `received AGGRESSIVE request 0 [ SA KE(${dhName(group)}) No ID V V V ]`);
  // The initiator's identity travels in the clear in the first message and selects the config.
  const idi = identityMismatch(R, I);
  if (idi) {
    t.add(R.role, `no peer config found for '${I.id}'`);
    return notifyFrom(x, R, 'AUTHENTICATION_FAILED', 'N(AUTH_FAILED)', 1, idi);
  }
  const selected = selectSuite(x, suites);
  if ('notify' in selected) return selected;
  t.add(R.role, `authentication of '${R.id}' (myself) with pre-shared key`);
  t.add(R.role, 'sending AGGRESSIVE response 0 [ SA KE No ID HASH V V V NAT-D NAT-D ]');
  t.add(I.role, `received AGGRESSIVE response 0 [ SA KE No ID HASH V V V NAT-D NAT-D ], selected proposal: ${formatSelected(selected)}`);
  const idr = identityMismatch(I, R);
  if (idr) {
    t.add(I.role, `IDr '${R.id}' does not match expected '${I.expectsPeerId}'`);
    return notifyFrom(x, I, 'AUTHENTICATION_FAILED', 'N(AUTH_FAILED)', 1, idr);
  }
  if (I.psk !== R.psk) {
    t.add(I.role, 'calculated HASH does not match HASH payload');
    return notifyFrom(x, I, 'AUTHENTICATION_FAILED', 'N(AUTH_FAILED)', 1, PSK_MISMATCH);
  }
  t.add(I.role, `authentication of '${R.id}' with pre-shared key successful`);
  t.add(I.role, `authentication of '${I.id}' (myself) with pre-shared key`);
  t.add(I.role, 'sending AGGRESSIVE request 0 [ HASH NAT-D NAT-D ]');
  t.add(I.role, `IKE_SA ${x.intent.tunnelId}[1] established between ${I.address}[${I.id}]...${R.address}[${R.id}]`);
  t.add(R.role, `authentication of '${I.id}' with pre-shared key successful`);
  t.add(R.role, `IKE_SA ${x.intent.tunnelId}[1] established between ${R.address}[${R.id}]...${I.address}[${I.id}]`);
  return selected;
}

function quickMode(x: Exchange, phase1: Selected): NegotiationOutcome {
  const { initiator: I, responder: R, t } = x;
  // charon offers PFS with the IKE SA's group when its ESP proposals allow it, else its first group.
  const pfs = I.esp.some((p) => p.dh.includes(phase1.dh)) ? phase1.dh : (I.esp[0]?.dh[0] ?? 0);
  const suites = espV1Suites(I.esp, pfs);
  const payloads = `HASH SA No ${pfs === 0 ? '' : `KE(${dhName(pfs)}) `}ID ID`;
  t.add(I.role, `proposing traffic selectors ${formatSelectors(I.selectors)}`);
  t.add(I.role, `sending QUICK_MODE request [ ${payloads} ]`);
  t.add(R.role, `received QUICK_MODE request [ ${payloads} ]`);
  const agreed = agreeSelectors(x.gateway.selectors, x.device.selectors, 'v1', I.role);
  if (!agreed.ok) {
    t.add(R.role, `no matching CHILD_SA config found for ${formatSelectors({ local: I.selectors.remote, remote: I.selectors.local })}`);
    return notifyFrom(x, R, 'TS_UNACCEPTABLE', 'HASH N(INVAL_ID)', 2, agreed.detail, 'INVALID_ID_INFORMATION');
  }
  t.add(R.role, `received proposals: ${formatProposals(suites)}`);
  t.add(R.role, `configured proposals: ${formatProposals(R.esp)}`);
  const selected = selectProposal(suites, allEspV1Suites(R.esp), R.prefer);
  if (!selected) {
    t.add(R.role, 'no matching proposal found');
    return notifyFrom(x, R, 'NO_PROPOSAL_CHOSEN', 'HASH N(NO_PROP)', 2, explainNoProposal(suites, R.esp, I.role, R.role));
  }
  t.add(R.role, `selected proposal: ${formatSelected(selected)}`);
  t.add(R.role, `sending QUICK_MODE response [ ${payloads} ]`);
  t.add(I.role, `received QUICK_MODE response [ ${payloads} ]`);
  t.add(I.role, 'sending QUICK_MODE request [ HASH ]');
  return succeed(x, 'v1', phase1, selected, agreed);
}

export function runIkeV1(x: Exchange): NegotiationOutcome {
  const phase1 = phase1V1(x);
  if ('notify' in phase1) return phase1;
  return quickMode(x, phase1);
}

/** Main or Aggressive Mode: the ISAKMP SA alone (also an IKEv1 reauthentication). */
export function phase1V1(x: Exchange): Selected | NegotiationFailure {
  const { initiator: I, responder: R, t } = x;
  t.add(I.role, `initiating ${MODE_NAMES[I.phase1Mode]} IKE_SA ${x.intent.tunnelId}[1] to ${R.address}`);
  if (I.phase1Mode !== R.phase1Mode) {
    t.add(I.role, `sending ${FIRST_MESSAGES[I.phase1Mode]}`);
    t.add(R.role, `received ${FIRST_MESSAGES[I.phase1Mode]}`);
    t.add(R.role, `${MODE_NAMES[I.phase1Mode]} request refused, the peer config uses ${MODE_NAMES[R.phase1Mode]}`);
    return notifyFrom(
      x,
      R,
      'NO_PROPOSAL_CHOSEN',
      'N(NO_PROP)',
      1,
      `phase-1 mode mismatch (${I.role} initiates ${I.phase1Mode} mode, ${R.role} is configured for ${R.phase1Mode} mode)`,
    );
  }
  return I.phase1Mode === 'main' ? mainMode(x) : aggressiveMode(x);
}
