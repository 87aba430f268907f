// A real object graph for unit tests of services and the reconciler: a SQLite file in a temp dir,
// the simulated data plane on a ManualClock, the reconciler between them, the services, one
// tenant with an admin key, and helpers to make a gateway, a customer gateway and a connection.

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataplaneDriver } from '../dataplane/driver.ts';
import { Reconciler } from '../dataplane/reconciler.ts';
import { SimulatedDriver } from '../dataplane/simulated/engine/simulated-driver.ts';
import type { IkePolicy, IpsecPolicy, KeyPolicy, VpnConnection } from '../domain/entities.ts';
import { randomIds } from '../domain/ids.ts';
import { ManualClock } from '../domain/manual-clock.ts';
import { SecretBox } from '../store/secret-box.ts';
import { SqliteStore } from '../store/sqlite/sqlite-store.ts';
import type { CreateConnectionInput } from './connections.ts';
import { ConnectionService } from './connections.ts';
import type { RequestContext } from './context.ts';
import { CustomerGatewayService } from './customer-gateways.ts';
import { GatewayService } from './gateways.ts';

export const DELAY_MS = 20;

export const IKE: IkePolicy = {
  versions: ['v2'],
  phase1Mode: 'main',
  encryption: ['aes256-cbc'],
  integrity: ['sha2-256'],
  dhGroups: [14],
  authMethod: 'pre-share',
  lifetimeSeconds: 86400,
  rekeyMarginSeconds: 270,
  rekeyFuzzPercent: 100,
  localIdType: 'ip',
  peerIdType: 'ip',
  dpd: { timeoutSeconds: 15, intervalSeconds: 30, msg: 'seq-hash-notify', action: 'restart' },
};

export const IPSEC: IpsecPolicy = {
  encryption: ['aes128-cbc'],
  integrity: ['sha2-256'],
  pfsGroups: [14],
  lifetimeSeconds: 3600,
  transformProtocol: 'esp',
  encapsulationMode: 'tunnel',
  replayWindowSize: 1024,
};

export interface Harness {
  dir: string;
  file: string;
  clock: ManualClock;
  store: SqliteStore;
  driver: DataplaneDriver;
  reconciler: Reconciler;
  /** What the reconciler logged as errors. */
  errors: { obj: object; msg: string }[];
  gateways: GatewayService;
  customerGateways: CustomerGatewayService;
  connections: ConnectionService;
  tenantId: string;
  projectId: string;
  /** A request context of the harness's tenant and project with the given key policy. */
  ctx(policy?: KeyPolicy, over?: Partial<RequestContext>): RequestContext;
  /** A gateway, a customer gateway (peer 198.51.100.<peer>) and a policy connection between them. */
  connection(peer?: number, over?: Partial<CreateConnectionInput>): Promise<VpnConnection>;
  /** Advances the clock past the negotiation and waits until the reconciler has written everything. */
  settle(ms?: number): Promise<void>;
  close(): Promise<void>;
}

export async function harness(driver?: DataplaneDriver): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'sitevpn-unit-'));
  const file = join(dir, 'sitevpn.db');
  const clock = new ManualClock();
  const store = new SqliteStore(file, new SecretBox(randomBytes(32)));
  const dataplane = driver ?? new SimulatedDriver(clock, { negotiationDelayMs: DELAY_MS });
  const errors: { obj: object; msg: string }[] = [];
  const reconciler = new Reconciler(store, { error: (obj, msg) => void errors.push({ obj, msg }) });
  const tenantId = 'tenant-a';
  const projectId = 'a'.repeat(32);
  const now = new Date(clock.now()).toISOString();
  await store.createTenant(
    { id: tenantId, accountId: '111111111111', name: 'a', createdAt: now },
    { id: projectId, tenantId, name: 'p', region: 'r', createdAt: now },
    { accessKeyId: 'AKA', tenantId, secret: 'secret-a', policy: 'admin', description: '', createdAt: now },
  );
  await dataplane.start(reconciler.onEvent);
  const h: Harness = {
    dir,
    file,
    clock,
    store,
    driver: dataplane,
    reconciler,
    errors,
    gateways: new GatewayService(store, clock, randomIds, '203.0.113.0/24'),
    customerGateways: new CustomerGatewayService(store, clock, randomIds),
    connections: new ConnectionService(store, dataplane, clock, randomIds),
    tenantId,
    projectId,
    ctx: (policy = 'admin', over = {}) => ({
      tenantId,
      projectId,
      accessKeyId: 'AKA',
      policy,
      idStyle: 'uuid',
      requestId: 'req-1',
      ...over,
    }),
    async connection(peer = 7, over = {}) {
      const ctx = h.ctx();
      const gateway = await h.gateways.create(ctx, { localSubnets: ['10.10.0.0/24'] });
      const cgw = await h.customerGateways.create(ctx, { idValue: `198.51.100.${peer}` });
      return h.connections.create(ctx, {
        vgwId: gateway.id,
        cgwId: cgw.id,
        style: 'policy',
        peerSubnets: ['10.20.0.0/24'],
        tunnels: [{ ike: IKE, ipsec: IPSEC, startupAction: 'start', psk: 'Peer.Key-0001' }],
        ...over,
      });
    },
    async settle(ms = DELAY_MS) {
      clock.advance(ms);
      await reconciler.idle();
    },
    async close() {
      await dataplane.stop();
      await reconciler.idle();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}
