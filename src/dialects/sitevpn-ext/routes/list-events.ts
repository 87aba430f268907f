// GET /sitevpn/v1/projects/{project_id}/events?follow=true|false&limit=&vpn_connection_id=
// Tunnel events of the caller's project. follow=true: a long-lived answer, one JSON object per
// line for every event from now on (application/x-ndjson), scoped by the event service.
// Otherwise the newest `limit` (100).
import type { TunnelEvent, VpnConnection } from '../../../domain/entities.ts';
import { connectionStatus } from '../../../domain/status.ts';
import type { RequestContext } from '../../../service/context.ts';
import type { Services } from '../../../service/services.ts';
import { single } from '../../shared/json-request.ts';
import { EventStream, extRoute, flagOf, limitOf, renderEvent } from '../route.ts';

function line(event: TunnelEvent, connection: VpnConnection): Record<string, unknown> {
  const tunnel = connection.tunnels.find((t) => t.id === event.tunnelId);
  return {
    ...renderEvent(event),
    vpn_connection_id: connection.id,
    tunnel_status: tunnel?.observed.ikeStatus ?? null,
    status: connectionStatus(connection),
  };
}

export default extRoute({
  method: 'GET',
  url: '/events',
  status: 200,
  async handle({ ctx, query }, { services }) {
    const follow = flagOf(query, 'follow');
    const limit = limitOf(query, 100);
    const connectionId = single(query, 'vpn_connection_id');
    if (!follow) {
      if (connectionId !== undefined) await services.connections.get(ctx, connectionId);
      return { events: await latest(services, ctx, limit, connectionId) };
    }
    const feed = await services.events.stream(ctx, { connectionId });
    return new EventStream((send) => feed.open((event, connection) => send(line(event, connection))));
  },
});

/** The newest events of one connection or of every connection of the project, oldest first. */
async function latest(services: Services, ctx: RequestContext, limit: number, connectionId?: string): Promise<Record<string, unknown>[]> {
  const ids: string[] = [];
  if (connectionId !== undefined) ids.push(connectionId);
  else {
    let marker: string | undefined;
    do {
      const page = await services.connections.list(ctx, {}, { limit: 200, marker });
      ids.push(...page.items.map((c) => c.id));
      marker = page.nextMarker;
    } while (marker);
  }
  const all: Record<string, unknown>[] = [];
  for (const id of ids) {
    for (const e of await services.connections.events(ctx, id, 'history', limit)) all.push({ ...renderEvent(e), vpn_connection_id: id });
  }
  return all.sort((a, b) => (a.time as string).localeCompare(b.time as string)).slice(-limit);
}
