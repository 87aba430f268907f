// `sitevpn tunnels status|history <connection-id>`: what the data plane observed for each tunnel of
// a connection, with the negotiated values, and the history of its transitions, rekeys and DPD
// events. Huawei v5 has neither, so both come from /sitevpn/v1 (diagnostics, history).
import { Command } from 'commander';
import { integer } from './args.ts';
import { ApiClient, type Json, remote, seg } from './client.ts';
import { cell, colourEnabled, paint, paintStatus, printJson, table } from './output.ts';

function phase1(p: Json): string {
  return [p.encryption, p.integrity, p.prf && `prf ${p.prf}`, `dh group ${p.dh_group}`].filter(Boolean).join(', ');
}

function phase2(p: Json): string {
  return [p.encryption, p.integrity, p.pfs_group === null ? 'no pfs' : `pfs group ${p.pfs_group}`].filter(Boolean).join(', ');
}

export function formatStatus(d: Json, colour: boolean): string {
  const lines = [`${d.vpn_connection_id}  ${paintStatus(d.status, colour)}`];
  for (const t of d.tunnels as Json[]) {
    const n = t.negotiated;
    const rows: [string, string][] = [
      ['outside ip', t.outside_ip],
      ['peer', t.peer_address],
      ['ike status', paintStatus(t.ike_status, colour)],
      ['provisioning', paintStatus(t.provisioning, colour)],
      ['reason', t.reason ? paint(t.reason, 'red', colour) : '-'],
      ['message', t.status_message || '-'],
      ['last change', cell(t.last_status_change)],
      ['established', cell(t.established_at)],
      ['ike version', n ? n.ike_version : '-'],
      ['phase 1', n ? phase1(n.phase1) : '-'],
      ['phase 2', n ? phase2(n.phase2) : '-'],
      ['selectors', t.selectors ? `${cell(t.selectors.local)} <=> ${cell(t.selectors.remote)}` : '-'],
    ];
    for (const w of t.weak as string[]) rows.push(['weak', paint(w, 'yellow', colour)]);
    for (const w of t.drift as string[]) rows.push(['drift', paint(w, 'yellow', colour)]);
    lines.push(`tunnel ${t.tunnel_index}  ${t.tunnel_id}`);
    for (const [k, v] of rows) lines.push(`  ${k.padEnd(14)}${v}`);
  }
  return lines.join('\n') + '\n';
}

export function tunnelsCommand(): Command {
  const cmd = new Command('tunnels').description('the tunnels of a connection: status with negotiated values, history');

  remote(
    cmd.command('status <connection-id>').description('each tunnel: state, reason, negotiated algorithms, selectors, warnings'),
  ).action(async (id: string, opts) => {
    const d = await ApiClient.from(opts).ext('GET', `/vpn-connections/${seg(id)}/diagnostics`);
    if (opts.json) return printJson(d);
    process.stdout.write(formatStatus(d, colourEnabled()));
  });

  remote(cmd.command('history <connection-id>').description('transitions, rekeys and DPD events of the tunnels, oldest first'))
    .option('--limit <n>', 'how many of the newest events', integer(1, 1000), 100)
    .action(async (id: string, opts) => {
      const h = await ApiClient.from(opts).ext('GET', `/vpn-connections/${seg(id)}/history?limit=${opts.limit}`);
      if (opts.json) return printJson(h);
      const rows = (h.history as Json[]).map((e) => [e.time, e.tunnel_id, e.kind, e.detail]);
      process.stdout.write(table(['TIME', 'TUNNEL', 'KIND', 'DETAIL'], rows, colourEnabled()));
    });
  return cmd;
}
