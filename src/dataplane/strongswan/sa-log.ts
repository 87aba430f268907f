// Why an SA failed or went down, read from charon's own log (the VICI `log` event stream, level
// <= 1, the same lines an initiate's control-log carries). Lines are kept per IKE_SA unique id;
// a line that ends a negotiation or an SA yields an Outcome with the notify and a reason:
//
//   initiator                                           responder
//   received NO_PROPOSAL_CHOSEN notify error       ph1  received proposals: / configured proposals:
//                                                       received proposals unacceptable          ph1
//   received AUTHENTICATION_FAILED notify error    ph1  tried 1 shared key ... MAC mismatched,
//                                                       no shared key found, no matching peer config ph1
//   received X notify, no CHILD_SA built  ─┐            no acceptable proposal found,
//   failed to establish CHILD_SA, keeping IKE_SA ─┘ ph2  traffic selectors ... unacceptable  ─┐ ph2
//                                                       failed to establish CHILD_SA ...      ─┘
//   IKEv1: received X error notify                 ph1/2  no proposal found (ph1), no matching proposal
//                                                       found, sending NO_PROPOSAL_CHOSEN (ph2), no
//                                                       matching CHILD_SA config found (ph2, TS)
//   IKEv1: could not decrypt payloads (wrong PSK)  ph1  could not decrypt payloads               ph1
//                                                       no IKE config found ..., sending NO_PROP  ph1
//   establishing IKE_SA failed, peer not responding     timeout
//   sending DPD request ... giving up after N retransmits   dpd (an established SA)
//   received DELETE for IKE_SA                          deleted by the peer
//   IKE_SA rekeying failed, trying again in N seconds   a refused IKEv2 IKE rekey: the IKE_SA stays;
//                                                       the reason is the failure logged by the new
//                                                       IKE_SA charon tried to create (same conn name)
//
// Log events reach VICI clients through a queue of their own, so they may arrive after the
// ike-updown event of the same SA: the driver lets status settle briefly before it reports.
export type OutcomeKind = 'failure' | 'timeout' | 'dpd' | 'deleted';

export interface Outcome {
  kind: OutcomeKind;
  /** A phase-2 failure whose cause has not been logged yet (it may follow, and refines this outcome). */
  uncaused?: boolean;
  /** IKE notify for failures (NO_PROPOSAL_CHOSEN, AUTHENTICATION_FAILED, TS_UNACCEPTABLE, ...). */
  notify?: string;
  phase?: 1 | 2;
  /** "phase 1 NO_PROPOSAL_CHOSEN: ...", "DPD timeout: ...", ... */
  reason: string;
  /** The IKE_SA's log so far, oldest first. */
  lines: string[];
  ikeId: number;
  /** The failure of an IKE_SA rekey (IKEv2) or reauthentication (IKEv1) of an established tunnel. */
  ikeRekey?: boolean;
  /** A refused IKEv2 IKE rekey: charon keeps this IKE_SA and tries again in `retryS` seconds. */
  retryS?: number;
  /** The conn the SA belongs to, when charon had picked one. */
  name?: string;
  local?: string;
  remote?: string;
}

interface Record {
  name?: string;
  local?: string;
  remote?: string;
  established: boolean;
  lines: string[];
  /** The peer's and our proposals, from a responder's "received/configured proposals" lines. */
  offered?: string;
  accepted?: string;
  /** A phase 2 failure cause seen before "failed to establish CHILD_SA". */
  childCause?: { notify: string; detail: string };
  /** The failure already read for this SA (a later timeout does not replace it). */
  failed?: Outcome;
  /** "failed to establish CHILD_SA" came before the line naming its cause (log lines may be late). */
  uncaused?: boolean;
}

const MAX_LINES = 80;
const MAX_SAS = 1024;
const UNNAMED = '(unnamed)';

export class SaLogBook {
  readonly #sas = new Map<number, Record>();
  /** The last failure logged per conn name (an IKE rekey's failure is logged by the new IKE_SA). */
  readonly #lastFailure = new Map<string, Outcome>();
  #socketError: string | undefined;

  /** Records one line; returns what it ended, if anything. */
  add(ikeId: number, ikeName: string | undefined, msg: string): Outcome | null {
    if (!ikeId) {
      // The sender thread logs without an SA: remember why charon could not send, for the timeout.
      if (/^error writing to socket: /.test(msg)) this.#socketError = msg;
      return null;
    }
    const r = this.#record(ikeId);
    if (ikeName && ikeName !== UNNAMED) r.name = ikeName;
    r.lines.push(msg);
    if (r.lines.length > MAX_LINES) r.lines.splice(0, r.lines.length - MAX_LINES);
    return this.#classify(ikeId, r, msg);
  }

  /** Tells the book an SA is established (an event or list-sas said so; its log may predate us). */
  established(ikeId: number, name: string): void {
    const r = this.#record(ikeId);
    r.established = true;
    r.name = name;
  }

  lines(ikeId: number): string[] {
    return [...(this.#sas.get(ikeId)?.lines ?? [])];
  }

  forget(ikeId: number): void {
    this.#sas.delete(ikeId);
  }

  get size(): number {
    return this.#sas.size;
  }

  #record(ikeId: number): Record {
    let r = this.#sas.get(ikeId);
    if (!r) {
      if (this.#sas.size >= MAX_SAS) this.#sas.delete(this.#sas.keys().next().value!);
      r = { established: false, lines: [] };
      this.#sas.set(ikeId, r);
    }
    return r;
  }

  #classify(ikeId: number, r: Record, msg: string): Outcome | null {
    const out = (kind: OutcomeKind, reason: string, notify?: string, phase?: 1 | 2): Outcome => {
      const o: Outcome = { kind, reason, lines: [...r.lines], ikeId, name: r.name, local: r.local, remote: r.remote };
      if (notify) o.notify = notify;
      if (phase) o.phase = phase;
      return o;
    };
    const fail = (notify: string, phase: 1 | 2, detail: string) => {
      r.failed = out('failure', `phase ${phase} ${notify}: ${detail}`, notify, phase);
      if (r.name) {
        this.#lastFailure.delete(r.name);
        if (this.#lastFailure.size >= MAX_SAS) this.#lastFailure.delete(this.#lastFailure.keys().next().value!);
        this.#lastFailure.set(r.name, r.failed);
      }
      return r.failed;
    };
    let m: RegExpExecArray | null;
    if ((m = /^(received|sending) packet: from ([^[\s]+)\[\d+\] to ([^[\s]+)\[\d+\]/.exec(msg)) && !(r.remote && r.local)) {
      const received = m[1] === 'received';
      r.remote ??= received ? m[2] : m[3];
      r.local ??= received ? m[3] : m[2];
    } else if ((m = /^initiating (?:IKE_SA|Main Mode IKE_SA|Aggressive Mode IKE_SA) \S+ to (\S+)/.exec(msg))) {
      r.remote = m[1];
    } else if ((m = /^(local|remote) endpoint changed from \S+ to ([^[\s]+)\[\d+\]$/.exec(msg))) {
      r[m[1] as 'local' | 'remote'] = m[2];
    } else if ((m = /^no IKE config found for ([^.\s]+(?:\.[^.\s]+)*)\.\.\.(\S+), sending NO_PROPOSAL_CHOSEN$/.exec(msg))) {
      // No conn for this address pair and IKE version: charon refuses before looking at proposals.
      [r.local, r.remote] = [m[1], m[2]];
      return fail(
        'NO_PROPOSAL_CHOSEN',
        1,
        `no IKE config for ${m[1]}...${m[2]} (an IKE version or address the gateway is not configured for)`,
      );
    } else if (/^IKE_SA \S+ established between/.test(msg)) {
      r.established = true;
    } else if ((m = /^received proposals: (.*)$/.exec(msg))) {
      r.offered = m[1];
    } else if ((m = /^configured proposals: (.*)$/.exec(msg))) {
      r.accepted = m[1];
    } else if (msg === 'received proposals unacceptable') {
      return fail('NO_PROPOSAL_CHOSEN', r.established ? 2 : 1, `no matching proposal (${this.#sides(r)})`);
    } else if ((m = /^received (\w+) notify error$/.exec(msg)) && !r.established) {
      return fail(m[1], 1, peerRefused(m[1], 1));
    } else if ((m = /^received (\w+) error notify$/.exec(msg))) {
      // IKEv1 INFORMATIONAL: before the ISAKMP SA is up it refuses phase 1, after it quick mode.
      const phase = r.established ? 2 : 1;
      const notify = m[1] === 'INVALID_ID_INFORMATION' ? 'TS_UNACCEPTABLE' : m[1];
      return fail(
        notify,
        phase,
        m[1] === 'INVALID_ID_INFORMATION' ? `${peerRefused(notify, phase)} (IKEv1 INVALID_ID_INFORMATION)` : peerRefused(notify, phase),
      );
    } else if (msg === 'no proposal found' && !r.established) {
      return fail('NO_PROPOSAL_CHOSEN', 1, `no matching proposal (${this.#sides(r)})`);
    } else if (msg === 'no matching proposal found, sending NO_PROPOSAL_CHOSEN') {
      return fail('NO_PROPOSAL_CHOSEN', 2, `no matching proposal (${this.#sides(r)})`);
    } else if ((m = /^no matching CHILD_SA config found for (.*)$/.exec(msg))) {
      return fail('TS_UNACCEPTABLE', 2, `traffic selectors ${m[1]} unacceptable (IKEv1 INVALID_ID_INFORMATION)`);
    } else if (msg === 'could not decrypt payloads' && !r.established) {
      // IKEv1: payloads encrypted with keys derived from another PSK; charon sends no notify.
      return fail('AUTHENTICATION_FAILED', 1, "pre-shared key mismatch (could not decrypt the peer's payloads)");
    } else if ((m = /^tried \d+ shared keys? for .* but MAC mismatched$/.exec(msg))) {
      return fail('AUTHENTICATION_FAILED', 1, `pre-shared key mismatch (${msg})`);
    } else if (/^no shared key found for /.test(msg) || /^no matching peer config found/.test(msg) || /^no peer config found/.test(msg)) {
      return fail('AUTHENTICATION_FAILED', 1, msg);
    } else if ((m = /^received (\w+) notify, no CHILD_SA built$/.exec(msg))) {
      return this.#childCause(r, { notify: m[1], detail: peerRefused(m[1], 2) }, fail);
    } else if (msg === 'no acceptable proposal found') {
      return this.#childCause(r, { notify: 'NO_PROPOSAL_CHOSEN', detail: `no matching proposal (${this.#sides(r)})` }, fail);
    } else if (/^traffic selectors .* unacceptable$/.test(msg) || /^no acceptable traffic selectors found$/.test(msg)) {
      return this.#childCause(r, { notify: 'TS_UNACCEPTABLE', detail: msg }, fail);
    } else if (/^failed to establish CHILD_SA/.test(msg)) {
      const cause = r.childCause ?? { notify: 'NO_PROPOSAL_CHOSEN', detail: msg };
      r.uncaused = !r.childCause;
      r.childCause = undefined;
      const failed = fail(cause.notify, 2, cause.detail);
      if (r.uncaused) failed.uncaused = true;
      return failed;
    } else if (/^establishing IKE_SA failed, peer not responding$/.test(msg) && r.failed) {
      return null; // an IKEv1 initiator whose PSK is wrong retransmits into silence: the failure stands
    } else if (/^establishing IKE_SA failed, peer not responding$/.test(msg)) {
      const tries = r.lines.filter((l) => l.startsWith('retransmit ')).length;
      const reason = `peer did not respond: no response from peer ${r.remote ?? ''} after ${tries} retransmits`.replace('  ', ' ');
      const unsent = this.#socketError;
      this.#socketError = undefined;
      // An outside IP that is not an address of charon's host: nothing ever left (issue 11, item 8).
      return out(
        'timeout',
        unsent
          ? `${reason}; charon could not send (${unsent}): is ${r.local ?? 'the outside IP'} an address of the host charon runs on?`
          : reason,
      );
    } else if ((m = /^giving up after (\d+) retransmits$/.exec(msg)) && r.established) {
      const dpd = r.lines.slice(-4 - 2 * Number(m[1])).some((l) => l === 'sending DPD request');
      return dpd
        ? out('dpd', `DPD timeout: peer ${r.remote ?? ''} not responding`)
        : out('timeout', `peer did not respond: no response from peer ${r.remote ?? ''} after ${m[1]} retransmits`);
    } else if ((m = /^IKE_SA rekeying failed, trying again in (\d+) seconds$/.exec(msg))) {
      // The new IKE_SA logged why (its own unique id, this conn's name); this one stays.
      const cause = r.name ? this.#lastFailure.get(r.name) : undefined;
      const o = cause && cause.ikeId !== ikeId && cause.phase === 1 ? cause : undefined;
      // A peer rekeying an IKE_SA it holds has a configuration: only the proposals can be at fault.
      const reason = o?.reason.replace(OR_NO_CONFIG, '') ?? 'phase 1 IKE rekey failed: charon logged no reason';
      const kept = out('failure', reason, o?.notify, 1);
      return Object.assign(kept, { ikeRekey: true, retryS: Number(m[1]) });
    } else if (/^received DELETE for IKE_SA/.test(msg)) {
      return out('deleted', `peer ${r.remote ?? ''} deleted the IKE_SA`);
    }
    return null;
  }

  /** A phase-2 cause: kept for the failure line to come, or, if that line came first, the failure again with its cause. */
  #childCause(
    r: Record,
    cause: { notify: string; detail: string },
    fail: (notify: string, phase: 1 | 2, detail: string) => Outcome,
  ): Outcome | null {
    if (!r.uncaused) {
      r.childCause = cause;
      return null;
    }
    r.uncaused = false;
    return fail(cause.notify, 2, cause.detail);
  }

  #sides(r: Record): string {
    return `peer offered ${r.offered ?? 'unknown proposals'}, gateway accepts ${r.accepted ?? 'its configured proposals'}`;
  }
}

/**
 * charon answers NO_PROPOSAL_CHOSEN to an IKE_SA_INIT (or IKEv1 Main Mode) both when no proposal
 * matches and when it has no IKE config for the address pair at all ("no IKE config found for
 * ..., sending NO_PROPOSAL_CHOSEN"): the initiator cannot tell which.
 */
const OR_NO_CONFIG = ', or has no configuration for this gateway';

function peerRefused(notify: string, phase: 1 | 2): string {
  switch (notify) {
    case 'NO_PROPOSAL_CHOSEN':
      return phase === 1
        ? `the peer accepted none of the gateway's IKE proposals${OR_NO_CONFIG}`
        : "the peer accepted none of the gateway's ESP proposals";
    case 'AUTHENTICATION_FAILED':
      return "the peer refused the gateway's authentication (pre-shared key or identity mismatch)";
    case 'TS_UNACCEPTABLE':
      return "the peer refused the gateway's traffic selectors";
    case 'INVALID_KE_PAYLOAD':
      return 'the peer refused every DH group the gateway offered';
    default:
      return `the peer answered ${notify}`;
  }
}
