// Customer gateways (the peers' devices): table, create form, delete.
import { api } from '../api.js';
import { field, h, notify, replace, shortId, table, when } from '../dom.js';
import { createForm, createPanel, deleteButton } from './forms.js';

export async function customerGatewaysView(main) {
  const cgws = await api.customerGateways();
  const rows = cgws.map((c) =>
    h(
      'tr',
      { dataset: { customerGatewayId: c.id } },
      h('th', { scope: 'row' }, c.name),
      h('td', {}, h('code', {}, c.id_value)),
      h('td', {}, c.id_type),
      h('td', {}, c.bgp_asn ?? '—'),
      h('td', {}, shortId(c.id)),
      h('td', {}, when(c.created_at)),
      h(
        'td',
        {},
        deleteButton(`customer gateway ${c.name}`, async () => {
          await api.deleteCustomerGateway(c.id);
          await customerGatewaysView(main);
        }),
      ),
    ),
  );
  const name = h('input', { name: 'name', required: true, maxlength: 64, placeholder: 'branch-office' });
  const ip = h('input', { name: 'id_value', required: true, placeholder: '198.51.100.7' });
  const asn = h('input', { name: 'bgp_asn', type: 'number', min: 1, max: 4294967295, placeholder: '65000' });
  const form = createForm(
    'Create customer gateway',
    [field('Name', name), field('Public IP address', ip, 'The address the peer device connects from.'), field('BGP ASN (optional)', asn)],
    'Create customer gateway',
    async () => {
      const body = { name: name.value.trim(), id_type: 'ip', id_value: ip.value.trim() };
      if (asn.value) body.bgp_asn = Number(asn.value);
      const { customer_gateway: c } = await api.createCustomerGateway(body);
      notify(`Customer gateway ${c.name} created.`, 'ok');
      await customerGatewaysView(main);
    },
  );
  replace(
    main,
    h(
      'div',
      { class: 'page-head' },
      h('h1', {}, 'Customer gateways'),
      h('p', { class: 'muted' }, 'The devices at the other end: routers and firewalls on your sites.'),
    ),
    createPanel('Create customer gateway', form, cgws.length === 0),
    h(
      'section',
      { class: 'card', 'aria-label': 'Customer gateways' },
      table('Customer gateways', ['Name', 'Address', 'ID type', 'BGP ASN', 'ID', 'Created', ''], rows, 'No customer gateways yet.'),
    ),
  );
}
