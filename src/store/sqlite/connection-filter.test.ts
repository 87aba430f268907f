import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { sqliteMigrations } from '../migrations/sqlite.ts';
import { connectionWhere } from './connection-filter.ts';

describe('connection filters on SQLite', () => {
  it('finds a customer gateway’s connection on an outside IP through the tunnels of that connection, not every tunnel on the IP', () => {
    const db = new Database(':memory:');
    for (const m of sqliteMigrations) db.exec(m);
    const { where, params } = connectionWhere('tenant', { cgwId: 'cgw-1', outsideIp: '198.51.100.1' });
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN SELECT c.id FROM vpn_connections c WHERE ${where} ORDER BY c.created_at, c.id`)
      .all(params) as { detail: string }[];
    const tunnels = plan.map((p) => p.detail).filter((d) => / t /.test(` ${d} `) || d.includes('EXISTS'));
    assert.deepEqual(tunnels, ['SEARCH t EXISTS USING COVERING INDEX tunnels_connection_outside_ip (connection_id=? AND outside_ip=?)']);
    db.close();
  });
});
