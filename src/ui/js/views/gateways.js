// VPN gateways of the project: table, create form, delete.
import { api } from '../api.js';
import { badge, field, h, notify, replace, shortId, table, when } from '../dom.js';
import { createForm, createPanel, deleteButton, list } from './forms.js';

export async function gatewaysView(main) {
  const gateways = await api.gateways();
  const rows = gateways.map((g) =>
    h(
      'tr',
      { dataset: { gatewayId: g.id } },
      h('th', { scope: 'row' }, g.name),
      h('td', {}, badge(g.status)),
      h(
        'td',
        {},
        [g.eip1, g.eip2].filter(Boolean).map((e) => h('div', {}, h('code', {}, e.ip_address))),
      ),
      h('td', {}, (g.local_subnets ?? []).join(', ')),
      h('td', {}, `${g.used_connection_number ?? 0} / ${g.connection_number ?? '—'}`),
      h('td', {}, shortId(g.id)),
      h('td', {}, when(g.created_at)),
      h(
        'td',
        {},
        deleteButton(`gateway ${g.name}`, async () => {
          await api.deleteGateway(g.id);
          await gatewaysView(main);
        }),
      ),
    ),
  );
  const name = h('input', { name: 'name', required: true, maxlength: 64, placeholder: 'hq-gateway' });
  const vpc = h('input', { name: 'vpc_id', required: true, placeholder: '0b6b9a2e-3f7c-4d7e-9a51-2f1d6c8e4a10' });
  const subnet = h('input', { name: 'connect_subnet', required: true, placeholder: '5c0e7d11-8a2b-4c3d-9e4f-6a7b8c9d0e1f' });
  const local = h('input', { name: 'local_subnets', required: true, placeholder: '10.0.0.0/16' });
  const form = createForm(
    'Create VPN gateway',
    [
      field('Name', name),
      field('VPC ID', vpc, 'The VPC the gateway attaches to.'),
      field('Connect subnet ID', subnet, 'Subnet the gateway uses to reach the VPC.'),
      field('Local subnets', local, 'CIDRs behind the gateway, separated by commas.'),
    ],
    'Create gateway',
    async () => {
      const { vpn_gateway: g } = await api.createGateway({
        name: name.value.trim(),
        vpc_id: vpc.value.trim(),
        connect_subnet: subnet.value.trim(),
        local_subnets: list(local.value),
      });
      notify(`Gateway ${g.name} created.`, 'ok');
      await gatewaysView(main);
    },
  );
  replace(
    main,
    h(
      'div',
      { class: 'page-head' },
      h('h1', {}, 'VPN gateways'),
      h('p', { class: 'muted' }, 'The sitevpn side of each tunnel, with its public addresses.'),
    ),
    createPanel('Create VPN gateway', form, gateways.length === 0),
    h(
      'section',
      { class: 'card', 'aria-label': 'VPN gateways' },
      table(
        'VPN gateways',
        ['Name', 'Status', 'Public IPs', 'Local subnets', 'Connections', 'ID', 'Created', ''],
        rows,
        'No VPN gateways yet.',
      ),
    ),
  );
}
