// Lookups scoped to the caller's tenant and project: anything outside them does not exist.
import type { CustomerGateway, VpnConnection, VpnGateway } from '../domain/entities.ts';
import { DomainError } from '../domain/errors.ts';
import type { Store } from '../store/store.ts';
import type { RequestContext } from './context.ts';

export async function gatewayOf(store: Store, ctx: RequestContext, id: string): Promise<VpnGateway> {
  const gateway = await store.getGateway(ctx.tenantId, id);
  if (!gateway || gateway.projectId !== ctx.projectId) throw DomainError.notFound('VpnGateway', id);
  return gateway;
}

export async function customerGatewayOf(store: Store, ctx: RequestContext, id: string): Promise<CustomerGateway> {
  const cgw = await store.getCustomerGateway(ctx.tenantId, id);
  if (!cgw || cgw.projectId !== ctx.projectId) throw DomainError.notFound('CustomerGateway', id);
  return cgw;
}

export async function connectionOf(store: Store, ctx: RequestContext, id: string): Promise<VpnConnection> {
  const connection = await store.getConnection(ctx.tenantId, id);
  if (!connection || connection.projectId !== ctx.projectId) throw DomainError.notFound('VpnConnection', id);
  return connection;
}
