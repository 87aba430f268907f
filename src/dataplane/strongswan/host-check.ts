// Is a tunnel's outside IP an address of the host charon runs on? (issue 11, item 8)
//
// Only answered where it can be answered reliably: the VICI socket is a unix socket *listening*
// in this process's /proc/net/unix, which lists the unix sockets of this network namespace only;
// so charon listens in sitevpn's own network namespace, and this process's addresses are charon's.
// (The server end of a connection we opened is listed here too, with the path, whatever namespace
// charon is in: the kernel makes it in the client's namespace. Hence listening sockets only.)
// Over TCP, or with charon in another namespace (or no /proc), the answer is "cannot tell" (null)
// and nothing is checked: a silent-peer timeout then asks the question instead (sa-log.ts).
import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';

/** The unix socket path of a `unix://` VICI URI, or null. */
export function unixSocketPath(viciUri: string): string | null {
  return viciUri.startsWith('unix://') ? viciUri.slice('unix://'.length) : null;
}

const ACCEPTCON = 0x10000;

/** Whether /proc/net/unix text lists a socket listening on `path` (Flags has __SO_ACCEPTCON). */
export function listsUnixSocket(procNetUnix: string, path: string): boolean {
  return procNetUnix
    .split('\n')
    .slice(1)
    .some((line) => {
      const cols = line.trim().split(/\s+/);
      return cols[7] === path && (Number.parseInt(cols[3] ?? '0', 16) & ACCEPTCON) !== 0;
    });
}

/** The addresses of charon's host when charon shares this network namespace, else null. */
export function charonHostAddresses(viciUri: string, read: (file: string) => string = (f) => readFileSync(f, 'utf8')): string[] | null {
  const path = unixSocketPath(viciUri);
  if (path === null) return null;
  let table: string;
  try {
    table = read('/proc/self/net/unix');
  } catch {
    return null;
  }
  if (!listsUnixSocket(table, path)) return null;
  return Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((a) => a.address));
}

/** The reason a tunnel cannot work from this host, or null (fine, or cannot tell). */
export function outsideIpProblem(outsideIp: string, hostAddresses: string[] | null): string | null {
  if (hostAddresses === null || hostAddresses.includes(outsideIp)) return null;
  return `outside IP ${outsideIp} is not an address of the host charon runs on (charon shares sitevpn's network namespace, whose addresses are ${hostAddresses.join(', ')}): charon cannot send from it; add it to the host or take outside IPs (SITEVPN_OUTSIDE_IP_POOL) from the host's addresses`;
}
