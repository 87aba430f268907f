// GET /v5/{project_id}/vpn-gateways — https://support.huaweicloud.com/intl/en-us/api-vpn/ListVgws.html
import { connectionUsageByGateway, NO_CONNECTIONS } from '../../../service/quotas.ts';
import { renderGateway } from '../render/gateway.ts';
import { type HuaweiRequest, route, single } from '../route.ts';

export default route({
  method: 'GET',
  url: '/vpn-gateways',
  status: 200,
  async handle({ ctx, query }, services) {
    const vgwId = single(query, 'vgw_id');
    const projects = all(query, 'enterprise_project_id');
    const gateways = (await services.gateways.list(ctx)).filter(
      (g) => (vgwId === undefined || g.id === vgwId) && (projects.length === 0 || projects.includes(g.enterpriseProjectId)),
    );
    const usage = await connectionUsageByGateway(services, ctx);
    return {
      vpn_gateways: gateways.map((g) => renderGateway(g, usage.get(g.id) ?? NO_CONNECTIONS)),
      total_count: gateways.length,
    };
  },
});

/** A query parameter Huawei documents as an array: given repeatedly, or once. */
function all(query: HuaweiRequest['query'], name: string): string[] {
  const v = query[name];
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}
