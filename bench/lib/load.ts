// Drives a server with autocannon and reduces the result to the figures the benchmarks report.
import autocannon from 'autocannon';

export interface LoadRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  total: number;
}

export async function runLoad(endpoint: string, requests: LoadRequest[], connections: number, durationSeconds: number): Promise<LoadResult> {
  const result = await autocannon({
    url: endpoint,
    connections,
    pipelining: 1,
    duration: durationSeconds,
    requests: requests.map((r) => ({ method: r.method as 'GET', path: r.path, headers: r.headers, body: r.body })),
  });
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
    total: result.requests.total,
  };
}

export function row(label: string, c: number, r: LoadResult, baseline?: LoadResult): string {
  const share = baseline ? `${((100 * r.requestsPerSecond) / baseline.requestsPerSecond).toFixed(0)}%` : '';
  return `| ${label} | ${c} | ${Math.round(r.requestsPerSecond)} | ${r.p50Ms} | ${r.p99Ms} | ${r.non2xx + r.errors} | ${share} |`;
}

export const TABLE_HEAD = '| server | concurrency | req/s | p50 ms | p99 ms | errors | of bare |\n|---|---|---|---|---|---|---|';
