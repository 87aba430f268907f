// `connections create --wait`: poll the connection until it is ACTIVE. On a terminal a progress
// line is redrawn in place (stderr, so that stdout stays the result); elsewhere one line per status
// change. DOWN or ERROR ends the wait with the tunnels' reason, as does the timeout (exit code 4).
import { type ApiClient, type Json, seg } from './client.ts';
import { CliError, EXIT } from './exit.ts';
import { colourEnabled, paint, paintStatus } from './output.ts';

export interface WaitOptions {
  timeoutSeconds: number;
  intervalMs: number;
  stream?: NodeJS.WriteStream;
}

const SPINNER = ['|', '/', '-', '\\'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Why a connection is not up: each tunnel's reason or status message, from the diagnostics. */
export async function reasonOf(client: ApiClient, id: string): Promise<string> {
  try {
    const d = await client.ext('GET', `/vpn-connections/${seg(id)}/diagnostics`);
    const reasons = (d.tunnels as Json[]).map((t) => t.reason || t.status_message).filter(Boolean);
    return reasons.length > 0 ? [...new Set(reasons)].join('; ') : 'no reason reported';
  } catch (err) {
    return `no reason available (${(err as Error).message})`;
  }
}

export async function waitForActive(client: ApiClient, id: string, opts: WaitOptions): Promise<Json> {
  const out = opts.stream ?? process.stderr;
  const tty = out.isTTY === true;
  const colour = colourEnabled(out);
  const started = Date.now();
  let last = '';
  let frame = 0;
  const seconds = () => Math.floor((Date.now() - started) / 1000);
  const finish = (mark: string, text: string) => out.write(tty ? `\r\x1b[2K${mark} ${text}\n` : `${text}\n`);
  for (;;) {
    const { vpn_connection: c } = await client.huawei('GET', `/vpn-connection/${seg(id)}`);
    const status = String(c.status);
    if (status === 'ACTIVE') {
      finish(paint('✔', 'green', colour), `${id}: ${paintStatus(status, colour)} after ${seconds()} s`);
      return c;
    }
    if (status === 'DOWN' || status === 'ERROR') {
      const reason = await reasonOf(client, id);
      finish(paint('✘', 'red', colour), `${id}: ${paintStatus(status, colour)}: ${reason}`);
      throw new CliError(`${id} went ${status} instead of ACTIVE: ${reason}`, EXIT.WAIT_FAILED);
    }
    if (Date.now() - started >= opts.timeoutSeconds * 1000) {
      finish(paint('✘', 'red', colour), `${id}: still ${paintStatus(status, colour)} after ${seconds()} s`);
      throw new CliError(
        `timed out after ${opts.timeoutSeconds} s waiting for ${id} to become ACTIVE (status ${status})`,
        EXIT.WAIT_FAILED,
      );
    }
    if (tty)
      out.write(
        `\r\x1b[2K${SPINNER[frame++ % SPINNER.length]} waiting for ${id} to become ACTIVE: ${paintStatus(status, colour)} (${seconds()} s)`,
      );
    else if (status !== last) out.write(`${id}: ${status}\n`);
    last = status;
    await sleep(opts.intervalMs);
  }
}
