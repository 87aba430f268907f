// The production data plane: a strongSwan charon driven over VICI. Each tunnel is one conn named
// by the tunnel id (conn-config.ts) plus its PSK (load-shared); status comes only from charon:
// ike-updown / child-updown / rekey events and charon's log mark a tunnel for a look, and a short
// while later (settleMs, so that log lines queued behind the event arrive too) list-sas says what
// is installed. Per tunnel, all work runs in one promise chain, so nothing interleaves.
//
//   apply ─▶ sync: load-shared; conn hash in charon ≠ ours? load-conn, terminate the old SAs
//        └─▶ settle: list-sas ─▶ installed SA pair ─▶ ike-up / ike-rekey / child-rekey
//                              └▶ none: the log's outcome (failure, timeout, DPD, delete) ─▶ DOWN;
//                                 startup `start`: initiate (childless first when PFS is on, so
//                                 the PFS group is negotiated and visible), retry with back-off
//   VICI gone ─▶ every tunnel DOWN "strongSwan (VICI ...) is not reachable"; back ─▶ reconcile:
//     list-conns, sync every desired tunnel (an unchanged conn keeps its SAs), unload the conns
//     sitevpn made (child `sv-<hash>`) that nobody wants any more.

import type { NegotiatedParameters } from '../../domain/entities.ts';
import type { DomainError } from '../../domain/errors.ts';
import type { Clock } from '../../domain/ports.ts';
import type {
  DataplaneDriver,
  DataplaneEvent,
  DataplaneListener,
  Diagnostician,
  PathListener,
  Selectors,
  SessionReporter,
  TunnelIntent,
  TunnelRemarks,
} from '../driver.ts';
import { type CharonEventTarget, onCharonEvent } from './charon-events.ts';
import { closeSas, sasOf, unloadTunnel } from './charon-ops.ts';
import { asViciSection, connConfig, loadedHashes } from './conn-config.ts';
import { notOnHostEvent, outcomeEvent, refusedEvent, unreachableEvent, waitingEvent } from './events.ts';
import { charonHostAddresses, outsideIpProblem } from './host-check.ts';
import { CharonLink } from './link.ts';
import { strongswanRemarks } from './remarks.ts';
import { SaLogBook } from './sa-log.ts';
import { activeSa, type IkeSaView, parseListSa } from './sa-parse.ts';
import { DEFAULT_SWEEP_MS, mismatchedTunnels } from './sweep.ts';
import { cancelTimers, FIRST_RETRY_MS, isNews, newTunnelState, restartState, retryDelay, type TunnelState } from './tunnel-state.ts';
import { explainDown, upReport } from './up-report.ts';
import { algorithmsFromVici, type CharonAlgorithms, validateForStrongswan } from './validate.ts';
import type { ViciClient } from './vici/commands.ts';
import { ViciCommandError } from './vici/errors.ts';

export interface StrongswanDriverOptions {
  viciUri: string;
  /** Where the driver's own failures go (pino-compatible); default: nowhere, events carry status. */
  logger?: { error(obj: object, msg: string): void };
  /** First reconnect delay after charon went away; doubles up to 30 s. Default 1000. */
  reconnectMs?: number;
  /** Wait after an event before reading list-sas. Default 50. */
  settleMs?: number;
  /** Retry of a `start` tunnel after silence, and the second retry after a refusal (then doubling up to 10 min). Default 30000. */
  retryMs?: number;
  /** First retry of a refused `start` tunnel (at most retryMs). Default 10000. */
  firstRetryMs?: number;
  /** After the first connect, how long apply() must be quiet before unknown conns are unloaded. Default 3000. */
  gcDelayMs?: number;
  /** How often all SAs are compared with the last reports, to catch an event that never arrived. Default 10000. */
  sweepMs?: number;
}

/** The default of StrongswanDriverOptions.retryMs (the benchmark derives its wait from it). */
export const DEFAULT_RETRY_MS = 30_000;

// No dry negotiation: charon has no way to negotiate without a peer, and the simulator's answer
// would not be strongSwan's; the service says so plainly.
export class StrongswanDriver implements DataplaneDriver, Diagnostician, SessionReporter {
  readonly name = 'strongswan';
  readonly #clock: Clock;
  readonly #log: NonNullable<StrongswanDriverOptions['logger']>;
  readonly #link: CharonLink;
  readonly #settleMs: number;
  readonly #retryMs: number;
  readonly #firstRetryMs: number;
  readonly #gcDelayMs: number;
  readonly #sweepMs: number;
  #sweep: (() => void) | null = null;
  readonly #tunnels = new Map<string, TunnelState>();
  readonly #book = new SaLogBook();
  /** Conns loaded in charon: name → config hash (null: not made by sitevpn). */
  #charon = new Map<string, string | null>();
  #algorithms: CharonAlgorithms | undefined;
  /** charon's host addresses when it shares our network namespace (read at connect), else null. */
  #hostAddresses: string[] | null = null;
  #listener: DataplaneListener = () => {};
  #onPath: PathListener = () => {};
  #connectedBefore = false;
  #gc: (() => void) | null = null;

  /** What charon's events and log lines reach: tunnels, the log book, and a look at list-sas. */
  readonly #events: CharonEventTarget;

  constructor(clock: Clock, opts: StrongswanDriverOptions) {
    this.#clock = clock;
    this.#log = opts.logger ?? { error() {} };
    this.#settleMs = opts.settleMs ?? 50;
    this.#retryMs = opts.retryMs ?? DEFAULT_RETRY_MS;
    this.#firstRetryMs = opts.firstRetryMs ?? FIRST_RETRY_MS;
    this.#gcDelayMs = opts.gcDelayMs ?? 3_000;
    this.#sweepMs = opts.sweepMs ?? DEFAULT_SWEEP_MS;
    this.#events = {
      tunnels: this.#tunnels,
      book: this.#book,
      clock,
      settleMs: this.#settleMs,
      client: () => this.#link.client,
      settleSoon: (t, ms, postpone) => this.#settleSoon(t, ms, postpone),
      enqueue: (t, job) => this.#enqueue(t, job),
    };
    this.#link = new CharonLink(opts.viciUri, clock, opts.reconnectMs ?? 1_000, {
      onConnected: (client) => this.#reconcile(client),
      onDisconnected: (reason) => this.#unreachable(reason),
      onEvent: (event, message) => onCharonEvent(this.#events, event, message),
      onError: (err, context) => this.#log.error({ err }, `strongswan driver: ${context}`),
    });
  }

  /** Refuses what this charon cannot negotiate (its get-algorithms answer, once connected). */
  validate(intent: TunnelIntent): DomainError | null {
    return validateForStrongswan(intent, this.#algorithms);
  }

  async start(listener: DataplaneListener, onPath?: PathListener): Promise<void> {
    this.#listener = listener;
    if (onPath) this.#onPath = onPath;
    await this.#link.start();
  }

  apply(intent: TunnelIntent): void {
    const t = this.#tunnels.get(intent.tunnelId);
    if (t && intent.generation < t.intent.generation) return;
    const conn = connConfig(intent);
    if (t && intent.generation === t.intent.generation && conn.hash === t.conn.hash) {
      t.intent = intent;
      return;
    }
    const tunnel = t ? Object.assign(t, { intent, conn }) : newTunnelState(intent, conn);
    this.#tunnels.set(intent.tunnelId, tunnel);
    if (this.#gc) this.#scheduleGc();
    this.#enqueue(tunnel, () => this.#sync(tunnel));
  }

  remove(tunnelId: string): void {
    const t = this.#tunnels.get(tunnelId);
    if (!t) return;
    this.#tunnels.delete(tunnelId);
    t.removed = true;
    cancelTimers(t);
    t.chain = t.chain.then(() => this.#unload(tunnelId)).catch((err) => this.#log.error({ err, tunnelId }, 'strongswan driver: remove'));
  }

  /** Weak choices and drift; narrowed selectors are the ones charon installed versus the conn's. */
  remarks(intent: TunnelIntent, result: { negotiated: NegotiatedParameters; selectors?: Selectors }): TunnelRemarks {
    return strongswanRemarks(intent, result.negotiated, result.selectors);
  }

  /** Whether the VICI session to charon is connected now (readiness, metrics). */
  sessionUp(): boolean {
    return this.#link.client !== null;
  }

  /** Lets go of charon; its conns and SAs stay as they are (a restart must not disturb them). */
  async stop(): Promise<void> {
    this.#gc?.();
    this.#gc = null;
    this.#sweep?.();
    this.#sweep = null;
    for (const t of this.#tunnels.values()) cancelTimers(t);
    await this.#link.stop();
    await Promise.allSettled([...this.#tunnels.values()].map((t) => t.chain));
  }

  // ------------------------------------------------------------------------------ reconcile

  async #reconcile(client: ViciClient): Promise<void> {
    this.#algorithms = await client.session.request('get-algorithms', {}).then(algorithmsFromVici, () => undefined);
    this.#hostAddresses = charonHostAddresses(this.#link.uri);
    this.#charon = loadedHashes(await client.listConns());
    for (const t of this.#tunnels.values()) this.#enqueue(t, () => this.#sync(t));
    // At start the desired tunnels arrive (apply) after this; after a reconnect they are known.
    if (this.#connectedBefore) await this.#collect();
    else this.#scheduleGc();
    this.#connectedBefore = true;
    this.#scheduleSweep();
  }

  /** Every sweepMs: one list-sas of everything, and a look at each tunnel whose SAs disagree with its last report. */
  #scheduleSweep(): void {
    this.#sweep?.();
    this.#sweep = this.#clock.setTimer(this.#sweepMs, async () => {
      this.#sweep = null;
      const client = this.#link.client;
      if (!client) return; // the next connect schedules the next sweep
      try {
        const views = (await client.listSas({ noblock: true })).flatMap(parseListSa);
        for (const t of mismatchedTunnels(this.#tunnels.values(), views)) this.#settleSoon(t, 0);
      } catch (err) {
        this.#log.error({ err }, 'strongswan driver: sweep of all SAs');
      }
      if (this.#link.client === client) this.#scheduleSweep();
    });
  }

  #scheduleGc(): void {
    this.#gc?.();
    this.#gc = this.#clock.setTimer(this.#gcDelayMs, () => {
      this.#gc = null;
      this.#collect().catch((err) => this.#log.error({ err }, 'strongswan driver: unloading unknown conns'));
    });
  }

  /** Unloads the conns sitevpn made that no tunnel wants any more (a tunnel deleted while away). */
  async #collect(): Promise<void> {
    for (const [name, hash] of [...this.#charon]) {
      if (hash !== null && !this.#tunnels.has(name)) await this.#unload(name);
    }
  }

  async #unload(name: string): Promise<void> {
    const client = this.#link.client;
    if (!client) return;
    await unloadTunnel(client, name);
    this.#charon.delete(name);
  }

  /** Makes charon hold the tunnel's current conn and PSK; SAs of an unchanged conn are kept. */
  async #sync(t: TunnelState): Promise<void> {
    const client = this.#link.client;
    if (!client) return this.#report(t, unreachableEvent(t.intent, this.#clock.now(), this.#link.uri, 'not connected'));
    const { name, hash, secret } = t.conn;
    const kept = this.#charon.get(name) === hash;
    try {
      await client.loadShared(secret);
      if (!kept) {
        const old = await sasOf(client, name);
        await client.loadConn(name, asViciSection(t.conn));
        this.#charon.set(name, hash);
        await this.#terminate(client, t, old);
        restartState(t);
      }
    } catch (err) {
      if (!(err instanceof ViciCommandError)) throw err;
      return this.#report(t, refusedEvent(t.intent, this.#clock.now(), err.command, err.errmsg));
    }
    await this.#settle(t, kept);
  }

  // ------------------------------------------------------------------------------ status

  /** Reads list-sas and reports what changed; a `start` tunnel with nothing going on initiates. */
  async #settle(t: TunnelState, kept = false): Promise<void> {
    const client = this.#link.client;
    if (!client || t.removed) return;
    const { intent } = t;
    const views = await sasOf(client, t.conn.name);
    const now = this.#clock.now();
    const active = activeSa(views, t.conn.child);
    if (active) {
      const { ike, child } = active;
      this.#book.established(ike.uniqueId, ike.name);
      const lines = this.#lines(ike);
      const e = upReport(t, ike, child, { now, restarted: kept, lines, childRetryS: this.#rekeyRetry(ike) });
      if (e) this.#report(t, e);
      return;
    }
    // No SA: where it can be told, an outside IP charon cannot send from fails at once, with why
    // (rather than waiting for a peer that can never reach it, or initiating into silence).
    const problem = outsideIpProblem(intent.local.address, this.#hostAddresses);
    if (problem) return this.#report(t, notOnHostEvent(intent, now, problem));
    const ours = () => views.filter((v) => !t.oldIkeIds.has(v.uniqueId));
    // A refused CHILD_SA leaves the IKE_SA up with nothing in it: close it, the tunnel has failed.
    if (t.outcome?.phase === 2)
      await this.#terminate(
        client,
        t,
        ours().filter((v) => v.state === 'ESTABLISHED'),
      );
    // Anything left is still negotiating (IKE_SA_INIT/IKE_AUTH, or a CHILD_SA on its way).
    const inProgress = ours().some((v) => v.state === 'CONNECTING' || v.state === 'ESTABLISHED');
    explainDown(t);
    const start = intent.config.startupAction === 'start';
    if (t.outcome) {
      const next = inProgress
        ? 'charon is still trying'
        : start
          ? `the gateway retries in ${Math.round(retryDelay(t, this.#retryMs, this.#firstRetryMs) / 1000)} s`
          : 'waiting for the peer to initiate';
      this.#report(t, outcomeEvent(intent, now, t.outcome, next));
    } else if (inProgress) {
      return;
    } else if (t.last?.up && !t.graced) {
      // Down without a reason yet: charon's log lines may still be on their way.
      t.graced = true;
      return this.#settleSoon(t, 6 * this.#settleMs);
    } else if (!start) {
      this.#report(t, waitingEvent(intent, now));
    }
    t.graced = false;
    if (!start || inProgress) return;
    // A new tunnel initiates at once; after a failure (even of a tunnel that was up) it waits the
    // delay its report announced, as the simulated data plane does.
    if (t.retryDue || (t.retries === 0 && !t.outcome)) return this.#initiate(client, t);
    t.retry ??= this.#clock.setTimer(retryDelay(t, this.#retryMs, this.#firstRetryMs), () => {
      t.retry = null;
      t.retryDue = true;
      this.#enqueue(t, () => this.#settle(t));
    });
  }

  /** Initiates a `start` tunnel; with PFS on IKEv2, childless first so the PFS group is negotiated. */
  async #initiate(client: ViciClient, t: TunnelState): Promise<void> {
    Object.assign(t, { retryDue: false, outcome: null });
    t.retries++;
    const { name, child } = t.conn;
    const { ike, ipsec } = t.intent.config;
    t.pendingChild = t.childless && ike.versions.includes('v2') && ipsec.pfsGroups.length > 0;
    const r = await client.initiate(t.pendingChild ? { ike: name, timeout: -1 } : { ike: name, child, timeout: -1 });
    if (!r.success) this.#log.error({ tunnelId: name, errmsg: r.errmsg }, 'strongswan driver: initiate refused');
  }

  #report(t: TunnelState, e: DataplaneEvent): void {
    if (!isNews(t, e)) return;
    this.#listener(e);
    // charon tells whether the CHILD_SA is installed, not whether traffic through it is answered:
    // sitevpn sends no probes, so the path is the CHILD_SA's installed state, and says so.
    const up = e.observation.ikeStatus === 'UP';
    this.#onPath({
      tunnelId: e.tunnelId,
      generation: e.generation,
      at: e.at,
      status: up ? 'UP' : 'DOWN',
      detail: up
        ? 'CHILD_SA installed (charon reports no probe results; reachability through the tunnel is not observed)'
        : 'no CHILD_SA is installed',
    });
  }

  #unreachable(reason: string): void {
    this.#charon = new Map();
    for (const t of this.#tunnels.values()) {
      cancelTimers(t);
      this.#report(t, unreachableEvent(t.intent, this.#clock.now(), this.#link.uri, reason));
    }
  }

  // ------------------------------------------------------------------------------ helpers

  /** A look at list-sas in `ms` (an earlier one already due stays unless `postpone`; a later one is brought forward). */
  #settleSoon(t: TunnelState, ms = this.#settleMs, postpone = false): void {
    if (t.removed) return;
    const due = this.#clock.now() + ms;
    if (t.settle && t.settleAt <= due && !postpone) return;
    t.settle?.();
    t.settleAt = due;
    t.settle = this.#clock.setTimer(ms, () => {
      t.settle = null;
      this.#enqueue(t, () => this.#settle(t));
    });
  }

  #enqueue(t: TunnelState, job: () => Promise<void>): void {
    t.chain = t.chain
      .then(() => (t.removed ? undefined : job()))
      .catch((err) => this.#log.error({ err, tunnelId: t.intent.tunnelId }, 'strongswan driver: tunnel job failed'));
  }

  async #terminate(client: ViciClient, t: TunnelState, views: IkeSaView[]): Promise<void> {
    for (const v of views) t.oldIkeIds.add(v.uniqueId);
    await closeSas(client, views);
  }

  /** charon's "CHILD_SA rekeying failed, trying again in N seconds", the latest N. */
  #rekeyRetry(ike: IkeSaView): number | null {
    const line = this.#book.lines(ike.uniqueId).findLast((l) => l.startsWith('CHILD_SA rekeying failed, trying again in '));
    return line ? Number(/in (\d+) seconds/.exec(line)?.[1]) : null;
  }

  #lines(ike: IkeSaView): string[] {
    return this.#book.lines(ike.uniqueId).map((l) => `gateway: ${l}`);
  }
}
