// `sitevpn events [--follow]`: tunnel events of a project from a running sitevpn, one line each,
// through the signed extension API (GET /sitevpn/v1/projects/{project_id}/events).
import { Command } from 'commander';
import { apiTarget, withApiOptions } from './client.ts';
import { callApi, ensureOk } from './sign.ts';

interface EventLine {
  time: string;
  vpn_connection_id: string;
  tunnel_id: string;
  kind: string;
  detail: string;
  status?: string;
}

export function formatEvent(e: EventLine): string {
  const status = e.status ? ` [${e.status}]` : '';
  return `${e.time}  ${e.vpn_connection_id}  tunnel ${e.tunnel_id}  ${e.kind}${status}: ${e.detail}`;
}

/** Calls `onLine` for each complete line of a streamed body until it ends. */
export async function readLines(body: ReadableStream<Uint8Array>, onLine: (line: string) => void): Promise<void> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (line.trim()) onLine(line);
    }
  }
}

export function eventsCommand(out: (s: string) => void = (s) => process.stdout.write(s)): Command {
  const cmd = new Command('events').description('print tunnel events (transitions, rekeys, DPD) of a project');
  withApiOptions(cmd)
    .option('--follow', 'keep the connection open and print events as they happen')
    .option('--connection <id>', 'only the events of this VPN connection')
    .option('--limit <n>', 'without --follow: how many of the newest events', '100')
    .option('--json', 'print each event as a JSON object')
    .action(async (opts) => {
      const target = apiTarget(opts);
      const query = new URLSearchParams({ follow: opts.follow ? 'true' : 'false' });
      if (!opts.follow) query.set('limit', opts.limit);
      if (opts.connection) query.set('vpn_connection_id', opts.connection);
      const res = await callApi(target, 'GET', `/events?${query}`);
      await ensureOk(res);
      const print = (e: EventLine) => out((opts.json ? JSON.stringify(e) : formatEvent(e)) + '\n');
      if (!opts.follow) {
        for (const e of ((await res.json()) as { events: EventLine[] }).events) print(e);
        return;
      }
      await readLines(res.body!, (line) => print(JSON.parse(line) as EventLine));
    });
  return cmd;
}
