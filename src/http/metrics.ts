// Prometheus metrics at /metrics, in a registry each app owns (several apps may share a process).
// Labels are low-cardinality by construction: dialect, operation name (EC2 action, Huawei or
// extension operation), HTTP status, event kind, IKE notify name; never an id, address or key.
// The data-plane side is fed by the composition root (tunnelEvent, from the reconciler's
// subscription) and read through probes at scrape time (tunnel states, the VICI session).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { ec2Actions } from '../dialects/aws-ec2/actions/index.ts';
import { operationNames } from './openapi.ts';
import { rawBodyOf } from './raw-body.ts';

export interface MetricsProbes {
  /** The observed state of every live tunnel. */
  tunnels(): Promise<Array<{ provisioning: string; ikeStatus: 'UP' | 'DOWN' }>>;
  /** Whether the VICI session to charon is up; absent when the data plane has none. */
  viciConnected?: () => boolean;
}

const TUNNEL_STATES = ['pending', 'up', 'down', 'failed'] as const;
/** IKE notify names a failure reason may carry (RFC 7296 §3.10.1), else a kind of its own. */
const NOTIFIES = [
  'NO_PROPOSAL_CHOSEN',
  'AUTHENTICATION_FAILED',
  'TS_UNACCEPTABLE',
  'INVALID_KE_PAYLOAD',
  'INVALID_SYNTAX',
  'SINGLE_PAIR_REQUIRED',
  'INVALID_ID_INFORMATION',
  'FAILED_CP_REQUIRED',
];
const NOTIFY_RE = new RegExp(`\\b(${NOTIFIES.join('|')})\\b`);
const EC2_ACTIONS = new Set(ec2Actions.map((a) => a.name));
const ACTION_RE = /(?:^|&)Action=([A-Za-z0-9]{1,64})(?:&|$)/;

/** The low-cardinality reason of a failed negotiation or rekey. */
export function failureReason(kind: string, detail: string): string {
  if (kind === 'peer-timeout') return 'PEER_TIMEOUT';
  const notify = NOTIFY_RE.exec(detail);
  if (notify) return notify[1];
  if (/charon refused/.test(detail)) return 'CONFIG_REFUSED';
  return 'OTHER';
}

export function tunnelState(t: { provisioning: string; ikeStatus: string }): (typeof TUNNEL_STATES)[number] {
  if (t.provisioning === 'pending') return 'pending';
  if (t.provisioning === 'failed') return 'failed';
  return t.ikeStatus === 'UP' ? 'up' : 'down';
}

export class MetricsRecorder {
  readonly registry = new Registry();
  readonly #negotiations: Counter<'result'>;
  readonly #failures: Counter<'stage' | 'reason'>;
  readonly #rekeys: Counter<'sa'>;
  readonly #dpd: Counter;
  readonly #events: Counter<'kind'>;
  readonly #lag: Histogram;
  readonly #requests: Counter<'dialect' | 'action' | 'status'>;
  readonly #latency: Histogram<'dialect' | 'action' | 'status'>;
  /** Label sets are closed (see classify), so this map stays small. */
  readonly #bound = new Map<string, { count: { inc(): void }; latency: { observe(v: number): void } }>();

  constructor(probes: MetricsProbes) {
    const registers = [this.registry];
    new Gauge({
      name: 'sitevpn_tunnels',
      help: 'Live tunnels by state (pending, up, down, failed)',
      labelNames: ['state'],
      registers,
      async collect() {
        const counts = new Map<string, number>(TUNNEL_STATES.map((s) => [s, 0]));
        // A store that does not answer leaves the last counts (and /readyz says why).
        const tunnels = await probes.tunnels().catch(() => undefined);
        if (!tunnels) return;
        for (const t of tunnels) counts.set(tunnelState(t), (counts.get(tunnelState(t)) ?? 0) + 1);
        for (const [state, n] of counts) this.set({ state }, n);
      },
    });
    const vici = probes.viciConnected;
    if (vici) {
      new Gauge({
        name: 'sitevpn_vici_connected',
        help: 'Whether the VICI session to charon is up (1) or down (0)',
        registers,
        collect() {
          this.set(vici() ? 1 : 0);
        },
      });
    }
    this.#negotiations = new Counter({
      name: 'sitevpn_negotiations_total',
      help: 'Initial IKE negotiations by result',
      labelNames: ['result'],
      registers,
    });
    this.#failures = new Counter({
      name: 'sitevpn_negotiation_failures_total',
      help: 'Failed negotiations and rekeys by stage and reason (IKE notify, PEER_TIMEOUT, CONFIG_REFUSED, OTHER)',
      labelNames: ['stage', 'reason'],
      registers,
    });
    this.#rekeys = new Counter({
      name: 'sitevpn_rekeys_total',
      help: 'Successful rekeys by SA (ike, child)',
      labelNames: ['sa'],
      registers,
    });
    this.#dpd = new Counter({ name: 'sitevpn_dpd_timeouts_total', help: 'Dead peer detection timeouts', registers });
    this.#events = new Counter({
      name: 'sitevpn_tunnel_events_total',
      help: 'Tunnel events recorded, by kind',
      labelNames: ['kind'],
      registers,
    });
    this.#lag = new Histogram({
      name: 'sitevpn_reconciler_lag_seconds',
      help: 'From a data-plane event to its write in the store',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
      registers,
    });
    const labelNames = ['dialect', 'action', 'status'] as const;
    this.#requests = new Counter({
      name: 'sitevpn_api_requests_total',
      help: 'API requests by dialect, operation and HTTP status',
      labelNames,
      registers,
    });
    this.#latency = new Histogram({
      name: 'sitevpn_api_request_duration_seconds',
      help: 'API request latency by dialect, operation and HTTP status',
      labelNames,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
      registers,
    });
  }

  /** A tunnel event the reconciler stored: its kind and detail, when it happened and when it was stored (ms). */
  tunnelEvent(kind: string, detail: string, eventAtMs: number, storedAtMs: number): void {
    this.#lag.observe(Math.max(0, storedAtMs - eventAtMs) / 1000);
    if (/^[a-z][a-z0-9-]{0,39}$/.test(kind)) this.#events.inc({ kind });
    switch (kind) {
      case 'ike-up':
        return this.#negotiations.inc({ result: 'success' });
      case 'negotiation-failed':
      case 'peer-timeout':
        this.#negotiations.inc({ result: 'failure' });
        return this.#failures.inc({ stage: 'connect', reason: failureReason(kind, detail) });
      case 'rekey-failed':
        return this.#failures.inc({ stage: 'rekey', reason: failureReason(kind, detail) });
      case 'ike-rekey':
        return this.#rekeys.inc({ sa: 'ike' });
      case 'child-rekey':
        return this.#rekeys.inc({ sa: 'child' });
      case 'dpd-timeout':
        return this.#dpd.inc();
    }
  }

  request(dialect: string, action: string, status: number, seconds: number): void {
    // Bound children, looked up once per label set: the hot path skips prom-client's label hashing.
    const key = `${dialect} ${action} ${status}`;
    let bound = this.#bound.get(key);
    if (!bound) {
      const labels = { dialect, action, status: String(status) };
      bound = { count: this.#requests.labels(labels), latency: this.#latency.labels(labels) };
      this.#bound.set(key, bound);
    }
    bound.count.inc();
    bound.latency.observe(seconds);
  }
}

/** The dialect and operation of a request, from its route and (EC2) its Action parameter. */
function classify(req: FastifyRequest, names: Map<string, string>): [string, string] {
  const route = req.routeOptions.url;
  if (route === '/') {
    const query = req.url.indexOf('?');
    const params =
      req.method === 'GET' ? (query < 0 ? '' : req.url.slice(query + 1)) : rawBodyOf(req.body).subarray(0, 4096).toString('latin1');
    const action = ACTION_RE.exec(params)?.[1];
    return ['ec2', action && EC2_ACTIONS.has(action) ? action : 'unknown'];
  }
  if (route === undefined) return ['none', 'unknown'];
  const name = names.get(`${req.method} ${route}`);
  if (name) return [route.startsWith('/v5/') ? 'huawei' : 'sitevpn', name];
  if (route.startsWith('/v5/')) return ['huawei', 'unknown'];
  if (route.startsWith('/sitevpn/')) return ['sitevpn', 'unknown'];
  return ['ops', route];
}

export interface MetricsPluginOptions {
  recorder: MetricsRecorder;
}

export async function metricsPlugin(app: FastifyInstance, { recorder }: MetricsPluginOptions): Promise<void> {
  const names = operationNames();
  app.addHook('onResponse', async (req, reply) => {
    const [dialect, action] = classify(req, names);
    recorder.request(dialect, action, reply.statusCode, reply.elapsedTime / 1000);
  });
  app.get('/metrics', async (_req, reply) => {
    const text = await recorder.registry.metrics();
    return reply.type(recorder.registry.contentType).send(text);
  });
}
// Not encapsulated: the request hook must see every route (what fastify-plugin marks).
Object.assign(metricsPlugin, { [Symbol.for('skip-override')]: true });
