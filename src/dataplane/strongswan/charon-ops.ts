// The few multi-step VICI operations the driver repeats: read a conn's SAs, close SAs without
// waiting for the peer (force), and take a tunnel out of charon altogether.
import { type IkeSaView, parseListSa } from './sa-parse.ts';
import type { ViciClient } from './vici/commands.ts';

/** The IKE_SAs (with their CHILD_SAs) of one conn; noblock, so a busy SA does not stall us. */
export async function sasOf(client: ViciClient, name: string): Promise<IkeSaView[]> {
  return (await client.listSas({ ike: name, noblock: true })).flatMap(parseListSa);
}

/** Closes IKE_SAs by unique id, sending DELETE but not waiting for an answer. */
export async function closeSas(client: ViciClient, views: IkeSaView[]): Promise<void> {
  for (const v of views) await client.terminate({ 'ike-id': v.uniqueId, force: true, timeout: 2000 }).catch(() => {});
}

/** Closes a conn's SAs, then unloads the conn and its PSK (psk-<name>). */
export async function unloadTunnel(client: ViciClient, name: string): Promise<void> {
  await closeSas(client, await sasOf(client, name));
  await client.unloadConn(name).catch(() => {});
  await client.unloadShared(`psk-${name}`).catch(() => {});
}
