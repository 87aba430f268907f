// Issue 12's first read figure: signed GET /v5/{project_id}/vpn-connection/{id} over 1,000
// connections, at concurrency 1 and 16, beside a bare node:http server answering the same bytes
// in the same run. Every request carries its own AK/SK signature, which sitevpn verifies.
import { huaweiClient, huaweiConnections, signedHuaweiShows } from './lib/fixtures.ts';
import { startSitevpn } from './lib/processes.ts';
import { fetchRaw, readScenario, scenarioMarkdown } from './lib/read-bench.ts';
import type { BenchOutput } from './lib/results.ts';

export async function huaweiShowBenchmark(opts: { connections: number; durationSeconds: number }): Promise<BenchOutput> {
  const sitevpn = await startSitevpn();
  try {
    const client = huaweiClient(sitevpn.endpoint);
    const ids = await huaweiConnections(client, opts.connections);
    // The exact bytes sitevpn answers, for the bare server to repeat.
    const sample = await fetchRaw(sitevpn.endpoint, signedHuaweiShows(sitevpn.endpoint, [ids[0]])[0]);
    const scenario = await readScenario({
      label: `Huawei GET vpn-connection/{id} (${opts.connections} connections)`,
      sitevpn,
      body: sample,
      contentType: 'application/json; charset=utf-8',
      sign: () => signedHuaweiShows(sitevpn.endpoint, ids),
      durationSeconds: opts.durationSeconds,
    });
    return { title: 'Huawei GET vpn-connection/{id}', markdown: scenarioMarkdown(scenario), data: { scenarios: [scenario] } };
  } finally {
    await sitevpn.stop();
  }
}
