// Live events on an API instance (role api): the tunnel events a data-plane instance records on
// PostgreSQL reach the API instance's followers through NOTIFY, scoped to the follower's project,
// as in one process. Two instances in this process on one throwaway database.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { loadConfig } from '../src/config/config.ts';
import type { TunnelEvent, VpnConnection } from '../src/domain/entities.ts';
import { type App, createApp } from '../src/http/app.ts';
import type { RequestContext } from '../src/service/context.ts';
import { HuaweiTestClient } from './support/huawei-client.ts';
import { postgresSkipReason, startPostgres, type TestPostgres } from './support/postgres.ts';
import { TEST_AK, TEST_PROJECT, TEST_SK } from './support/server.ts';

/** Resolves with the first value `take` returns, or rejects after `capMs` (a cap, not a measure). */
function firstOf<T>(capMs: number, what: string, subscribe: (take: (v: T) => void) => () => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`${what}: nothing within ${capMs} ms`));
    }, capMs);
    const stop = subscribe((v) => {
      clearTimeout(timer);
      stop();
      resolve(v);
    });
  });
}

describe('live events on an API instance', { skip: postgresSkipReason() }, () => {
  let server: TestPostgres;
  let api: App;
  let dataplane: App;
  const dirs: string[] = [];
  before(async () => {
    server = await startPostgres();
    const databaseUrl = await server.createDatabase();
    const masterKey = randomBytes(32).toString('hex'); // every instance opens the same sealed secrets
    const config = (role: 'api' | 'dataplane') => {
      const dataDir = mkdtempSync(join(tmpdir(), `sitevpn-relay-${role}-`));
      dirs.push(dataDir);
      const env = {
        SITEVPN_ACCESS_KEY_ID: TEST_AK,
        SITEVPN_SECRET_ACCESS_KEY: TEST_SK,
        SITEVPN_PROJECT_ID: TEST_PROJECT,
        SITEVPN_MASTER_KEY: masterKey,
      };
      return loadConfig(env, { dataDir, port: 0, role, databaseUrl, leaseSeconds: 2, simulatedDelayMs: 5, logLevel: 'silent' });
    };
    api = await createApp(config('api'), { logger: pino({ level: 'silent' }) });
    dataplane = await createApp(config('dataplane'), { logger: pino({ level: 'silent' }) });
  });
  after(async () => {
    await api?.close();
    await dataplane?.close();
    await server?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('hears the data-plane instance bring up a connection created through it, and nothing of another project', async () => {
    const key = api.bootstrap.key!;
    const ctx = (projectId: string): RequestContext => ({
      tenantId: key.tenantId,
      projectId,
      accessKeyId: key.accessKeyId,
      policy: 'admin',
      idStyle: 'uuid',
      requestId: 'relay-test',
    });
    const ours = await api.services!.events.stream(ctx(TEST_PROJECT));
    const elsewhere: TunnelEvent[] = [];
    const stopElsewhere = (await api.services!.events.stream(ctx('fedcba9876543210fedcba9876543210'))).open((e) => elsewhere.push(e));
    const h = new HuaweiTestClient(await api.listen(), TEST_AK, TEST_SK, TEST_PROJECT);
    const gw = await h.call('POST', '/vpn-gateways', {
      vpn_gateway: {
        vpc_id: 'cb4a631d-1b2c-4d3e-8f40-ca3fa348c36c',
        local_subnets: ['10.0.0.0/24'],
        connect_subnet: 'f5741286-5a6b-4c7d-8e9f-2c82bd9ee114',
      },
    });
    assert.equal(gw.status, 201);
    const g = (await h.call('GET', `/vpn-gateways/${gw.body.vpn_gateway.id}`)).body.vpn_gateway;
    const cgw = await h.call('POST', '/customer-gateways', { customer_gateway: { name: 'relay', id_type: 'ip', id_value: '10.1.2.3' } });
    const up = firstOf<[TunnelEvent, VpnConnection]>(60_000, 'a relayed ike-up', (take) =>
      ours.open((event, connection) => {
        if (event.kind === 'ike-up') take([event, connection]);
      }),
    );
    const conn = await h.call('POST', '/vpn-connection', {
      vpn_connection: {
        vgw_id: g.id,
        vgw_ip: g.eip1.id,
        cgw_id: cgw.body.customer_gateway.id,
        peer_subnets: ['192.168.0.0/24'],
        psk: 'Abcdefgh1234',
      },
    });
    assert.equal(conn.status, 201);
    const [event, connection] = await up;
    assert.equal(connection.id, conn.body.vpn_connection.id);
    assert.equal(event.connectionId, connection.id);
    assert.equal(connection.projectId, TEST_PROJECT);
    assert.equal(event.tunnelId, connection.tunnels[0].id);
    stopElsewhere();
    assert.deepEqual(elsewhere, []);
  });
});
