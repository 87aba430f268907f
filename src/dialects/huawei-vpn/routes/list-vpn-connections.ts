// GET /v5/{project_id}/vpn-connection — https://support.huaweicloud.com/intl/en-us/api-vpn/ListVpnConnections.html
import { isIpv4 } from '../../../domain/cidr.ts';
import type { ConnectionFilter } from '../../../service/connections.ts';
import { invalidRequest } from '../errors.ts';
import { renderConnection } from '../render/connection.ts';
import { route, single } from '../route.ts';

export default route({
  method: 'GET',
  url: '/vpn-connection',
  status: 200,
  async handle({ ctx, query }, services) {
    const limit = parseLimit(single(query, 'limit'));
    const vgwIp = single(query, 'vgw_ip');
    const vpnId = single(query, 'vpn_id');
    const filter: ConnectionFilter = {
      vgwId: single(query, 'vgw_id'),
      enterpriseProjectId: single(query, 'enterprise_project_id'),
      ids: vpnId !== undefined ? [vpnId] : undefined,
    };
    if (vgwIp !== undefined) {
      if (isIpv4(vgwIp)) filter.outsideIp = vgwIp;
      else filter.outsideIpId = vgwIp;
    }
    const page = await services.connections.list(ctx, filter, { limit, marker: single(query, 'marker') });
    const pageInfo: Record<string, unknown> = { current_count: page.items.length };
    if (page.nextMarker) pageInfo.next_marker = page.nextMarker;
    return { vpn_connections: page.items.map(renderConnection), page_info: pageInfo, total_count: page.total };
  },
});

export function parseLimit(value: string | undefined): number {
  if (value === undefined) return 200;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 200) throw invalidRequest('limit must be an integer from 1 to 200');
  return n;
}
