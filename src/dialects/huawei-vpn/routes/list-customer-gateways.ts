// GET /v5/{project_id}/customer-gateways — https://support.huaweicloud.com/intl/en-us/api-vpn/ListCgws.html
import { invalidRequest } from '../errors.ts';
import { renderCustomerGateway } from '../render/customer-gateway.ts';
import { route, single } from '../route.ts';

/**
 * Pages in creation order. The marker is opaque to clients (the last item's id); the reference
 * allows limit 0 to 200, where 0 means the default of 200.
 */
export default route({
  method: 'GET',
  url: '/customer-gateways',
  status: 200,
  async handle({ ctx, query }, services) {
    const limit = parseCgwLimit(single(query, 'limit'));
    const marker = single(query, 'marker');
    const cgwId = single(query, 'cgw_id');
    const all = (await services.customerGateways.list(ctx)).filter((c) => cgwId === undefined || c.id === cgwId);
    let start = 0;
    if (marker !== undefined) {
      const at = all.findIndex((c) => c.id === marker);
      if (at < 0) throw invalidRequest(`invalid marker ${marker}`);
      start = at + 1;
    }
    const items = all.slice(start, start + limit);
    const pageInfo: Record<string, unknown> = { current_count: items.length };
    if (start + limit < all.length) pageInfo.next_marker = items[items.length - 1].id;
    return { customer_gateways: items.map(renderCustomerGateway), total_count: all.length, page_info: pageInfo };
  },
});

function parseCgwLimit(value: string | undefined): number {
  if (value === undefined) return 200;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 200) throw invalidRequest('limit must be an integer from 0 to 200');
  return n === 0 ? 200 : n;
}
