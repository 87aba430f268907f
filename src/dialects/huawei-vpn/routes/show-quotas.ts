// GET /v5/{project_id}/vpn/quotas — https://support.huaweicloud.com/intl/en-us/api-vpn/ShowQuotasInfo.html
import { quotaUsage } from '../../../service/quotas.ts';
import { route } from '../route.ts';

export default route({
  method: 'GET',
  url: '/vpn/quotas',
  status: 200,
  async handle({ ctx }, services) {
    return { quotas: { resources: await quotaUsage(services, ctx) } };
  },
});
