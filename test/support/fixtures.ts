// Gateways and customer gateways made through the services, for suites whose subject is
// something else (the gateway operations have suites of their own through the API).
import type { CustomerGateway, VpnGateway } from '../../src/domain/entities.ts';
import type { RequestContext } from '../../src/service/context.ts';
import type { CreateGatewayInput } from '../../src/service/gateways.ts';
import { TEST_AK, TEST_PROJECT, type TestServer } from './server.ts';

export async function testContext(server: TestServer, idStyle: 'uuid' | 'aws' = 'uuid'): Promise<RequestContext> {
  const key = await server.app.store.getAccessKey(TEST_AK);
  return { tenantId: key!.tenantId, projectId: TEST_PROJECT, accessKeyId: TEST_AK, policy: 'admin', idStyle, requestId: 'fixture' };
}

let nextCgwOctet = 1;

export async function gatewayPair(
  server: TestServer,
  gateway: CreateGatewayInput = {},
  cgwIp = `198.51.100.${nextCgwOctet++}`,
): Promise<{ gateway: VpnGateway; cgw: CustomerGateway }> {
  const ctx = await testContext(server);
  const vgw = await server.app.services.gateways.create(ctx, { name: 'gw', ...gateway });
  const cgw = await server.app.services.customerGateways.create(ctx, { name: 'cgw', idValue: cgwIp });
  return { gateway: vgw, cgw };
}

/** A minimal valid create body for a policy-based connection. */
export function connectionBody(gateway: VpnGateway, cgw: CustomerGateway, extra: Record<string, unknown> = {}) {
  return {
    vpn_connection: {
      vgw_id: gateway.id,
      vgw_ip: gateway.outsideIps[0].id,
      cgw_id: cgw.id,
      peer_subnets: ['192.168.0.0/24'],
      psk: 'Abcdefgh1234',
      ...extra,
    },
  };
}
