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
import type { DomainError } from '../../domain/errors.ts';
import type { Clock } from '../../domain/ports.ts';
import type { DataplaneDriver, DataplaneEvent, DataplaneListener, TunnelIntent } from '../driver.ts';
import { asViciSection, connConfig, hashOfChild, type ConnConfig } from './conn-config.ts';
import { outcomeEvent, unreachableEvent, upEvent, waitingEvent, type UpKind } from './events.ts';
import { CharonLink, type LinkEvent } from './link.ts';
import { SaLogBook, type Outcome } from './sa-log.ts';
import { activeSa, parseListSa, type IkeSaView } from './sa-parse.ts';
import { algorithmsFromVici, validateForStrongswan, type CharonAlgorithms } from './validate.ts';
import type { ViciClient } from './vici/commands.ts';
import { getString, type ViciMessage } from './vici/message.ts';

export interface DriverLogger {
  error(obj: object, msg: string): void;
  warn?(obj: object, msg: string): void;
}

export interface StrongswanDriverOptions {
  viciUri: string;
  logger?: DriverLogger;
  /** First reconnect delay after charon went away; doubles up to 30 s. Default 1000. */
  reconnectMs?: number;
  /** Wait after an event before reading list-sas. Default 50. */
  settleMs?: number;
  /** First retry of a failed `start` tunnel; doubles up to 10 min. Default 30000. */
  retryMs?: number;
  /** After the first connect, how long apply() must be quiet before unknown conns are unloaded. Default 3000. */
  gcDelayMs?: number;
}

interface Tunnel {
  intent: TunnelIntent;
  conn: ConnConfig;
  chain: Promise<void>;
  settle: (() => void) | null;
  retry: (() => void) | null;
  retryDue: boolean;
  retries: number;
  last: { up: boolean; message: string; generation: number; ikeId?: number; childId?: number; childDh?: string } | null;
  outcome: Outcome | null;
  rekey: UpKind | null;
  /** A childless IKE_SA was initiated; its CHILD_SA follows once it is up. */
  pendingChild: boolean;
  childless: boolean;
  graced: boolean;
  /** IKE_SAs of an older configuration, terminated by the driver: their news is not the tunnel's. */
  oldIkeIds: Set<number>;
  removed: boolean;
}

const MAX_RETRY_MS = 600_000;

export class StrongswanDriver implements DataplaneDriver {
  readonly name = 'strongswan';
  readonly #clock: Clock;
  readonly #log: DriverLogger;
  readonly #link: CharonLink;
  readonly #settleMs: number;
  readonly #retryMs: number;
  readonly #gcDelayMs: number;
  readonly #tunnels = new Map<string, Tunnel>();
  readonly #book = new SaLogBook();
  /** Conns loaded in charon: name → config hash (null: not made by sitevpn). */
  #charon = new Map<string, string | null>();
  #algorithms: CharonAlgorithms | undefined;
  #listener: DataplaneListener = () => {};
  #connectedBefore = false;
  #gc: (() => void) | null = null;

  constructor(clock: Clock, opts: StrongswanDriverOptions) {
    this.#clock = clock;
    this.#log = opts.logger ?? { error() {} };
    this.#settleMs = opts.settleMs ?? 50;
    this.#retryMs = opts.retryMs ?? 30_000;
    this.#gcDelayMs = opts.gcDelayMs ?? 3_000;
    this.#link = new CharonLink(opts.viciUri, clock, opts.reconnectMs ?? 1_000, {
      onConnected: (client) => this.#reconcile(client),
      onDisconnected: (reason) => this.#unreachable(reason),
      onEvent: (event, message) => this.#onEvent(event, message),
      onError: (err, context) => this.#log.error({ err }, `strongswan driver: ${context}`),
    });
  }

  /** Refuses what this charon cannot negotiate (its get-algorithms answer, once connected). */
  validate(intent: TunnelIntent): DomainError | null {
    return validateForStrongswan(intent, this.#algorithms);
  }

  async start(listener: DataplaneListener): Promise<void> {
    this.#listener = listener;
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
    if (t) Object.assign(t, { intent, conn });
    const tunnel: Tunnel = t ?? {
      intent, conn, chain: Promise.resolve(), settle: null, retry: null, retryDue: false, retries: 0, last: null,
      outcome: null, rekey: null, pendingChild: false, childless: true, graced: false, oldIkeIds: new Set(), removed: false,
    };
    this.#tunnels.set(intent.tunnelId, tunnel);
    if (this.#gc) this.#scheduleGc();
    this.#enqueue(tunnel, () => this.#sync(tunnel));
  }

  remove(tunnelId: string): void {
    const t = this.#tunnels.get(tunnelId);
    if (!t) return;
    this.#tunnels.delete(tunnelId);
    t.removed = true;
    this.#cancelTimers(t);
    t.chain = t.chain.then(() => this.#unload(tunnelId)).catch((err) => this.#log.error({ err, tunnelId }, 'strongswan driver: remove'));
  }

  reset(tunnelId: string): void {
    const t = this.#tunnels.get(tunnelId);
    if (!t) return;
    this.#enqueue(t, async () => {
      const client = this.#link.client;
      if (client) await this.#terminate(client, t, await this.#sas(client, t.conn.name));
      Object.assign(t, { outcome: null, retries: 0, retryDue: false, rekey: null, last: null });
      await this.#settle(t);
    });
  }

  async stop(): Promise<void> {
    this.#gc?.();
    this.#gc = null;
    for (const t of this.#tunnels.values()) this.#cancelTimers(t);
    await this.#link.stop();
    await Promise.allSettled([...this.#tunnels.values()].map((t) => t.chain));
  }

  // ------------------------------------------------------------------------------ reconcile

  async #reconcile(client: ViciClient): Promise<void> {
    this.#algorithms = await client.session.request('get-algorithms', {}).then(algorithmsFromVici, () => undefined);
    const charon = new Map<string, string | null>();
    for (const message of await client.listConns()) {
      for (const [name, section] of message) {
        if (!(section instanceof Map)) continue;
        const children = section.get('children');
        const first = children instanceof Map ? [...children.keys()][0] : undefined;
        charon.set(name, (first && hashOfChild(first)) ?? null);
      }
    }
    this.#charon = charon;
    for (const t of this.#tunnels.values()) this.#enqueue(t, () => this.#sync(t));
    if (this.#connectedBefore) await this.#collect();
    else this.#scheduleGc();
    this.#connectedBefore = true;
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
    const views = await this.#sas(client, name);
    if (views.length > 0) await client.terminate({ ike: name, force: true, timeout: 2000 }).catch(() => {});
    await client.unloadConn(name).catch(() => {});
    await client.unloadShared(`psk-${name}`).catch(() => {});
    this.#charon.delete(name);
  }

  async #sync(t: Tunnel): Promise<void> {
    const client = this.#link.client;
    if (!client) return this.#report(t, unreachableEvent(t.intent, this.#clock.now(), this.#link.uri, 'not connected'));
    const { name, hash, secret } = t.conn;
    await client.loadShared(secret);
    const kept = this.#charon.get(name) === hash;
    if (!kept) {
      const old = await this.#sas(client, name);
      await client.loadConn(name, asViciSection(t.conn));
      this.#charon.set(name, hash);
      await this.#terminate(client, t, old);
      Object.assign(t, { outcome: null, retries: 0, retryDue: false, rekey: null, pendingChild: false, graced: false });
    }
    await this.#settle(t, kept);
  }

  // ------------------------------------------------------------------------------ status

  async #settle(t: Tunnel, kept = false): Promise<void> {
    const client = this.#link.client;
    if (!client || t.removed) return;
    const { intent } = t;
    const views = await this.#sas(client, t.conn.name);
    const now = this.#clock.now();
    const active = activeSa(views, t.conn.child);
    if (active) {
      const { ike, child } = active;
      this.#book.established(ike.uniqueId, ike.name);
      const last = t.last?.up && t.last.generation === intent.generation ? t.last : null;
      const kind: UpKind | null = !last
        ? 'ike-up'
        : last.ikeId !== ike.uniqueId
          ? t.rekey === 'ike-rekey' ? 'ike-rekey' : 'ike-up'
          : last.childId !== child.uniqueId || last.childDh !== child.dh ? 'child-rekey' : null;
      Object.assign(t, { outcome: null, retries: 0, retryDue: false, rekey: null, graced: false });
      t.retry?.();
      t.retry = null;
      t.last = { up: true, message: '', generation: intent.generation, ikeId: ike.uniqueId, childId: child.uniqueId, childDh: child.dh };
      if (kind) this.#report(t, upEvent(intent, now, kind, ike, child, this.#lines(ike), kept && kind === 'ike-up'));
      return;
    }
    const ours = () => views.filter((v) => !t.oldIkeIds.has(v.uniqueId));
    // A refused CHILD_SA leaves the IKE_SA up with nothing in it: close it, the tunnel has failed.
    if (t.outcome?.phase === 2) await this.#terminate(client, t, ours().filter((v) => v.state === 'ESTABLISHED'));
    // Anything left is still negotiating (IKE_SA_INIT/IKE_AUTH, or a CHILD_SA on its way).
    const inProgress = ours().some((v) => v.state === 'CONNECTING' || v.state === 'ESTABLISHED');
    const start = intent.config.startupAction === 'start';
    if (t.outcome) {
      const next = inProgress ? 'charon is still trying' : start ? `the gateway retries in ${Math.round(this.#retryDelay(t) / 1000)} s` : 'waiting for the peer to initiate';
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
    if (t.retryDue || t.retries === 0) return this.#initiate(client, t);
    if (!t.retry) {
      t.retry = this.#clock.setTimer(this.#retryDelay(t), () => {
        t.retry = null;
        t.retryDue = true;
        this.#enqueue(t, () => this.#settle(t));
      });
    }
  }

  #retryDelay(t: Tunnel): number {
    return t.outcome?.kind === 'timeout' ? this.#retryMs : Math.min(MAX_RETRY_MS, this.#retryMs * 2 ** Math.max(0, t.retries - 1));
  }

  async #initiate(client: ViciClient, t: Tunnel): Promise<void> {
    Object.assign(t, { retryDue: false, outcome: null });
    t.retries++;
    const { name, child } = t.conn;
    const childless = t.childless && t.intent.config.ike.versions[0] === 'v2' && t.intent.config.ipsec.pfsGroups.length > 0;
    t.pendingChild = childless;
    const r = await client.initiate(childless ? { ike: name, timeout: -1 } : { ike: name, child, timeout: -1 });
    if (!r.success) this.#log.error({ tunnelId: name, errmsg: r.errmsg }, 'strongswan driver: initiate refused');
  }

  #report(t: Tunnel, e: DataplaneEvent): void {
    const { ikeStatus, statusMessage } = e.observation;
    if (ikeStatus === 'DOWN') {
      if (t.last && !t.last.up && t.last.message === statusMessage && t.last.generation === e.generation) return;
      t.last = { up: false, message: statusMessage, generation: e.generation };
    }
    this.#listener(e);
  }

  #unreachable(reason: string): void {
    this.#charon = new Map();
    for (const t of this.#tunnels.values()) {
      this.#cancelTimers(t);
      this.#report(t, unreachableEvent(t.intent, this.#clock.now(), this.#link.uri, reason));
    }
  }

  // ------------------------------------------------------------------------------ charon events

  #onEvent(event: LinkEvent, message: ViciMessage): void {
    if (event === 'log') return this.#onLog(message);
    for (const view of parseListSa(message)) {
      const t = this.#tunnels.get(view.name);
      if (!t) continue;
      if (event === 'ike-rekey') t.rekey = 'ike-rekey';
      else if (event === 'child-rekey') t.rekey ??= 'child-rekey';
      else if (event === 'ike-updown') {
        const up = getString(message, 'up') === 'yes';
        if (up) this.#book.established(view.uniqueId, view.name);
        if (up && t.pendingChild && view.initiator && view.children.length === 0) {
          t.pendingChild = false;
          this.#enqueue(t, async () => void (await this.#link.client?.initiate({ ike: t.conn.name, child: t.conn.child, timeout: -1 })));
        }
        if (!up) this.#clock.setTimer(10_000, () => this.#book.forget(view.uniqueId));
      }
      this.#settleSoon(t);
    }
  }

  #onLog(message: ViciMessage): void {
    const ikeId = Number(getString(message, 'ikesa-uniqueid') ?? 0);
    const msg = getString(message, 'msg') ?? '';
    const outcome = this.#book.add(ikeId, getString(message, 'ikesa-name'), msg);
    if (!outcome) return;
    const t = this.#tunnelFor(outcome);
    if (!t || t.oldIkeIds.has(outcome.ikeId)) return;
    if (outcome.lines.some((l) => /childless/i.test(l))) t.childless = false;
    t.outcome = outcome;
    this.#settleSoon(t);
  }

  /** The tunnel an SA belongs to: by conn name, else (an unnamed responder SA) by addresses. */
  #tunnelFor(o: Outcome): Tunnel | undefined {
    if (o.name) return this.#tunnels.get(o.name);
    if (!o.local) return undefined;
    const byLocal = [...this.#tunnels.values()].filter((t) => t.intent.local.address === o.local);
    const exact = byLocal.filter((t) => t.intent.remote.address === o.remote);
    if (exact.length === 1) return exact[0];
    const any = byLocal.filter((t) => t.intent.remote.address === '%any');
    return exact.length === 0 && any.length === 1 ? any[0] : undefined;
  }

  // ------------------------------------------------------------------------------ helpers

  #settleSoon(t: Tunnel, ms = this.#settleMs): void {
    if (t.settle || t.removed) return;
    t.settle = this.#clock.setTimer(ms, () => {
      t.settle = null;
      this.#enqueue(t, () => this.#settle(t));
    });
  }

  #enqueue(t: Tunnel, job: () => Promise<void>): void {
    t.chain = t.chain
      .then(() => (t.removed ? undefined : job()))
      .catch((err) => this.#log.error({ err, tunnelId: t.intent.tunnelId }, 'strongswan driver: tunnel job failed'));
  }

  #cancelTimers(t: Tunnel): void {
    t.settle?.();
    t.retry?.();
    t.settle = t.retry = null;
  }

  async #sas(client: ViciClient, name: string): Promise<IkeSaView[]> {
    return (await client.listSas({ ike: name, noblock: true })).flatMap(parseListSa);
  }

  async #terminate(client: ViciClient, t: Tunnel, views: IkeSaView[]): Promise<void> {
    for (const v of views) {
      t.oldIkeIds.add(v.uniqueId);
      await client.terminate({ 'ike-id': v.uniqueId, force: true, timeout: 2000 }).catch(() => {});
    }
  }

  #lines(ike: IkeSaView): string[] {
    return this.#book.lines(ike.uniqueId).map((l) => `${ike.name}[${ike.uniqueId}] ${l}`);
  }
}
