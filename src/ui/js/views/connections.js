// VPN connections of the project: a table whose status badges follow the event stream, and
// the create form (gateway, one of its addresses, customer gateway, peer subnets, PSK).
import { api } from '../api.js';
import { badge, field, h, notify, replace, table, when } from '../dom.js';
import { createForm, createPanel, deleteButton, list } from './forms.js';

function ipOf(gateways, vgwIp) {
  for (const g of gateways) for (const e of [g.eip1, g.eip2]) if (e?.id === vgwIp) return e.ip_address;
  return '';
}

function connectionForm(main, gateways, cgws) {
  const name = h('input', { name: 'name', maxlength: 64, placeholder: 'hq-to-branch' });
  const gateway = h(
    'select',
    { name: 'vgw_id', required: true },
    gateways.map((g) => h('option', { value: g.id }, g.name)),
  );
  const address = h('select', { name: 'vgw_ip', required: true });
  const fillAddresses = () => {
    const g = gateways.find((x) => x.id === gateway.value);
    replace(
      address,
      [g?.eip1, g?.eip2].filter(Boolean).map((e) => h('option', { value: e.id }, e.ip_address)),
    );
  };
  gateway.addEventListener('change', fillAddresses);
  fillAddresses();
  const cgw = h(
    'select',
    { name: 'cgw_id', required: true },
    cgws.map((c) => h('option', { value: c.id }, `${c.name} (${c.id_value})`)),
  );
  const peers = h('input', { name: 'peer_subnets', required: true, placeholder: '192.168.0.0/24' });
  const psk = h('input', { name: 'psk', type: 'password', required: true, minlength: 8, maxlength: 128, autocomplete: 'new-password' });
  const ike = h('select', { name: 'ike_version' }, h('option', { value: 'v2' }, 'IKEv2'), h('option', { value: 'v1' }, 'IKEv1'));
  return createForm(
    'Create VPN connection',
    [
      field('Name (optional)', name),
      field('VPN gateway', gateway),
      field('Gateway address', address, 'Which of the gateway’s public IPs ends the tunnel.'),
      field('Customer gateway', cgw),
      field('Peer subnets', peers, 'CIDRs behind the customer gateway, separated by commas.'),
      field('Pre-shared key', psk, '8 to 128 characters; sent once, never shown again.'),
      field('IKE version', ike),
    ],
    'Create connection',
    async () => {
      const body = {
        vgw_id: gateway.value,
        vgw_ip: address.value,
        cgw_id: cgw.value,
        peer_subnets: list(peers.value),
        psk: psk.value,
        ikepolicy: { ike_version: ike.value },
      };
      if (name.value.trim()) body.name = name.value.trim();
      psk.value = '';
      const { vpn_connection: c } = await api.createConnection(body);
      notify(`Connection ${c.name} created; negotiating…`, 'ok');
      await connectionsView(main);
    },
  );
}

export async function connectionsView(main) {
  const [connections, gateways, cgws] = await Promise.all([api.connections(), api.gateways(), api.customerGateways()]);
  const byId = (items, id) => items.find((x) => x.id === id);
  const rows = connections.map((c) => {
    const g = byId(gateways, c.vgw_id);
    const cg = byId(cgws, c.cgw_id);
    return h(
      'tr',
      { dataset: { connectionId: c.id } },
      h('th', { scope: 'row' }, h('a', { href: `#/connections/${encodeURIComponent(c.id)}` }, c.name)),
      h('td', { class: 'status' }, badge(c.status)),
      h('td', {}, g?.name ?? c.vgw_id, h('div', { class: 'sub' }, h('code', {}, ipOf(gateways, c.vgw_ip)))),
      h('td', {}, cg?.name ?? c.cgw_id, h('div', { class: 'sub' }, h('code', {}, cg?.id_value ?? ''))),
      h('td', {}, (c.peer_subnets ?? []).join(', ')),
      h('td', {}, `IKE${c.ikepolicy?.ike_version ?? ''} · ${c.style}`),
      h('td', {}, when(c.created_at)),
      h(
        'td',
        {},
        deleteButton(`connection ${c.name}`, async () => {
          await api.deleteConnection(c.id);
          await connectionsView(main);
        }),
      ),
    );
  });
  const canCreate = gateways.length > 0 && cgws.length > 0;
  const create = canCreate
    ? createPanel('Create VPN connection', connectionForm(main, gateways, cgws), connections.length === 0)
    : h(
        'div',
        { class: 'card notice' },
        'To create a connection, first create a ',
        h('a', { href: '#/gateways' }, 'VPN gateway'),
        ' and a ',
        h('a', { href: '#/customer-gateways' }, 'customer gateway'),
        '.',
      );
  replace(
    main,
    h(
      'div',
      { class: 'page-head' },
      h('h1', {}, 'VPN connections'),
      h('p', { class: 'muted' }, 'Status is what the data plane observes, updated live.'),
    ),
    create,
    h(
      'section',
      { class: 'card', 'aria-label': 'VPN connections' },
      table(
        'VPN connections',
        ['Name', 'Status', 'VPN gateway', 'Customer gateway', 'Peer subnets', 'Type', 'Created', ''],
        rows,
        'No VPN connections yet.',
      ),
    ),
  );
  return (event) => {
    const row = main.querySelector(`tr[data-connection-id="${CSS.escape(event.vpn_connection_id)}"]`);
    if (!row) return connectionsView(main);
    if (event.status) row.querySelector('td.status').replaceChildren(badge(event.status));
  };
}
