// One VPN connection: its tunnels with the negotiated parameters and the reason when down,
// warnings (weak crypto, drift from the configuration), a status timeline per tunnel and the
// peer device's configuration to copy. Re-read whenever the stream reports one of its events.
import { api } from '../api.js';
import { badge, h, replace, section, table, when } from '../dom.js';
import { deviceConfigPanel } from './device-config.js';

function negotiatedText(n) {
  if (!n) return null;
  const p1 = [n.phase1.encryption, n.phase1.integrity, n.phase1.prf && `prf ${n.phase1.prf}`, `DH ${n.phase1.dh_group}`]
    .filter(Boolean)
    .join(' · ');
  const p2 = [n.phase2.encryption, n.phase2.integrity, n.phase2.pfs_group ? `PFS ${n.phase2.pfs_group}` : 'no PFS']
    .filter(Boolean)
    .join(' · ');
  return h(
    'dl',
    { class: 'negotiated' },
    h('dt', {}, 'IKE'),
    h('dd', {}, n.ike_version),
    h('dt', {}, 'Phase 1'),
    h('dd', {}, p1),
    h('dt', {}, 'Phase 2'),
    h('dd', {}, p2),
  );
}

function tunnelRows(diag) {
  return diag.tunnels.map((t) => {
    const down = t.ike_status !== 'UP';
    return h(
      'tr',
      { dataset: { tunnelId: t.tunnel_id } },
      h('th', { scope: 'row' }, `Tunnel ${t.tunnel_index + 1}`),
      h('td', { class: 'status' }, badge(t.ike_status)),
      h('td', {}, h('code', {}, t.outside_ip), ' ⇄ ', h('code', {}, t.peer_address)),
      h('td', {}, negotiatedText(t.negotiated) ?? h('span', { class: 'muted' }, 'Nothing negotiated')),
      h(
        'td',
        {},
        t.selectors
          ? [
              h('div', {}, h('span', { class: 'muted' }, 'local '), t.selectors.local.join(', ')),
              h('div', {}, h('span', { class: 'muted' }, 'remote '), t.selectors.remote.join(', ')),
            ]
          : '—',
      ),
      h(
        'td',
        { class: down ? 'reason' : '' },
        down
          ? [t.status_message, t.reason && t.reason !== t.status_message ? h('div', { class: 'sub' }, t.reason) : null]
          : t.status_message,
      ),
      h('td', {}, when(t.established_at ?? t.last_status_change)),
    );
  });
}

function warnings(diag) {
  const items = [];
  for (const t of diag.tunnels) {
    for (const w of t.weak) items.push(h('li', { class: 'warn-weak' }, h('strong', {}, `Tunnel ${t.tunnel_index + 1} · weak crypto: `), w));
    for (const d of t.drift) items.push(h('li', { class: 'warn-drift' }, h('strong', {}, `Tunnel ${t.tunnel_index + 1} · drift: `), d));
  }
  if (items.length === 0) return h('p', { class: 'ok-note' }, 'No weak algorithms negotiated and no drift from the configuration.');
  return h('ul', { class: 'warnings' }, items);
}

const KIND_TONE = { 'ike-up': 'ok', 'ike-rekey': 'info', 'child-rekey': 'info' };

function timeline(diag, history) {
  return diag.tunnels.map((t) => {
    const events = history.filter((e) => e.tunnel_id === t.tunnel_id).reverse();
    return h(
      'div',
      { class: 'timeline-tunnel' },
      h('h3', {}, `Tunnel ${t.tunnel_index + 1}`),
      events.length === 0
        ? h('p', { class: 'empty' }, 'No events yet.')
        : h(
            'ol',
            { class: 'timeline', 'aria-label': `Status timeline of tunnel ${t.tunnel_index + 1}, newest first` },
            events.map((e) =>
              h(
                'li',
                { class: `tl tl-${KIND_TONE[e.kind] ?? (/timeout|down|fail|delete/.test(e.kind) ? 'bad' : 'info')}` },
                h('time', { datetime: e.time }, when(e.time)),
                h('span', { class: 'kind' }, e.kind),
                h('span', { class: 'detail' }, e.detail ?? ''),
              ),
            ),
          ),
    );
  });
}

function policyText(c) {
  const ike = c.ikepolicy ?? {};
  const ipsec = c.ipsecpolicy ?? {};
  return h(
    'dl',
    { class: 'summary' },
    h('dt', {}, 'Status'),
    h('dd', { id: 'connection-status' }, badge(c.status)),
    h('dt', {}, 'Type'),
    h('dd', {}, c.style),
    h('dt', {}, 'Peer subnets'),
    h('dd', {}, (c.peer_subnets ?? []).join(', ')),
    h('dt', {}, 'IKE policy'),
    h(
      'dd',
      {},
      `${ike.ike_version} · ${ike.encryption_algorithm} · ${ike.authentication_algorithm} · ${ike.dh_group} · ${ike.lifetime_seconds} s`,
    ),
    h('dt', {}, 'IPsec policy'),
    h('dd', {}, `${ipsec.encryption_algorithm} · ${ipsec.authentication_algorithm} · PFS ${ipsec.pfs} · ${ipsec.lifetime_seconds} s`),
    h('dt', {}, 'DPD'),
    h('dd', {}, ike.dpd ? `every ${ike.dpd.interval} s, timeout ${ike.dpd.timeout} s` : '—'),
    h('dt', {}, 'ID'),
    h('dd', {}, h('code', {}, c.id)),
  );
}

export async function connectionDetail(main, id) {
  const body = h('div', { class: 'detail' });
  const devicePanel = deviceConfigPanel(id);
  let pending = null;
  const load = async () => {
    const [c, diag, history] = await Promise.all([api.connection(id), api.diagnostics(id), api.history(id)]);
    replace(
      body,
      h(
        'div',
        { class: 'page-head' },
        h('p', { class: 'crumbs' }, h('a', { href: '#/connections' }, 'VPN connections'), ' / '),
        h('h1', {}, c.name, ' ', badge(c.status)),
      ),
      section('Overview', policyText(c)),
      section(
        'Tunnels',
        table(
          'Tunnels',
          ['Tunnel', 'IKE status', 'Endpoints', 'Negotiated', 'Traffic selectors', 'Reason / message', 'Since'],
          tunnelRows(diag),
          'No tunnels.',
        ),
      ),
      section('Warnings', warnings(diag)),
      section('Status timeline', h('div', { class: 'timelines' }, timeline(diag, history))),
      devicePanel,
    );
  };
  replace(main, body);
  await load();
  return (event) => {
    if (event.vpn_connection_id !== id) return;
    // Several events arrive together on a change; read once after them.
    pending ??= Promise.resolve().then(async () => {
      await new Promise((r) => setTimeout(r, 50));
      pending = null;
      await load();
    });
  };
}
