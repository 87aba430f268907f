// Reads the V8 CPU profile(s) a `node --cpu-prof` server wrote and splits the load window into
// the stages of a request. Each sample is charged to the innermost frame that names a stage:
// generic frames (native built-ins such as JSON.stringify or HMAC, node:crypto, events, the
// microtask queue) are skipped, so their time goes to the code that called them.

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export const STAGES = [
  'routing',
  'signature',
  'lookup',
  'render',
  'serialize',
  'log',
  'socket',
  'gc',
  'v8/native',
  'other',
  'background',
] as const;
export type Stage = (typeof STAGES)[number];

export const STAGE_TEXT: Record<Stage, string> = {
  routing: 'fastify request lifecycle, find-my-way, the dialect plumbing (plugin.ts, route handler), request id',
  signature: 'AK/SK: parse the Authorization header, canonical request, HMAC-SHA256 (dialects/shared/aksk-*.ts)',
  lookup: 'key, project and connection lookups (src/service, src/store)',
  render: 'the Huawei document of the connection (render/, names.ts)',
  serialize: "JSON.stringify of the answer (fastify's reply serializer)",
  log: 'the access-log line: pino building it, sonic-boom handing it to fs.write (the write itself runs on a libuv thread)',
  socket: "node's HTTP and net machinery: parser callbacks, headers, socket writes",
  gc: 'garbage collector (main thread share)',
  'v8/native': 'V8 "(program)": native work not attributed to a JS frame (HTTP parsing in llhttp, epoll dispatch)',
  other: 'everything else (event loop, timers, microtask queue)',
  background: 'the data plane and the reconciler (not request work; near zero once the server has settled)',
};

// Checked against each frame from the innermost outwards; the first rule that matches decides.
const RULES: [RegExp, Stage][] = [
  [/\/(pino|sonic-boom|pino-std-serializers|fast-redact)\//, 'log'],
  [/src\/http\/app\.ts$/, 'log'], // the onResponse hook; genReqId is caught by node:internal/crypto/random below
  [/node:internal\/crypto\/random/, 'routing'],
  [/src\/dialects\/[^/]+\/(auth\/|authenticate\.ts|aksk-(authenticate|verifier|canonical)\.ts|protocol\/sigv4)/, 'signature'],
  [/src\/(service|store)\/|better-sqlite3/, 'lookup'],
  [/src\/dialects\/[^/]+\/(render|names\.ts|render\.ts)/, 'render'],
  [/fast-json-stringify|fastify\/lib\/error-serializer/, 'serialize'],
  [/src\/dialects\/|src\/http\/|\/find-my-way\/|\/fastify\/|\/avvio\/|\/fast-querystring\/|\/@fastify\//, 'routing'],
  [/^node:(net|_http_\w+|stream|internal\/stream_base_commons|internal\/streams\/|internal\/http|dgram)/, 'socket'],
];

function stageOfFrame(f: CallFrame): Stage | null {
  if (f.functionName === 'serialize' && f.url.includes('/fastify/lib/reply.js')) return 'serialize';
  for (const [re, stage] of RULES) if (re.test(f.url)) return stage;
  return null;
}

export interface SelfTime {
  function: string;
  where: string;
  stage: Stage;
  sampledMs: number;
  share: number;
  usPerRequest: number;
}

export interface ProfileAnalysis {
  windowMs: number;
  idleMs: number;
  /** Sampled wall time the main thread was not idle (includes time it was descheduled). */
  busyMs: number;
  /** Main-thread CPU per request (from /proc), which the shares below divide. */
  mainUsPerRequest: number;
  stages: { stage: Stage; sampledMs: number; share: number; usPerRequest: number }[];
  top: SelfTime[];
}

function shortUrl(url: string): string {
  return url
    .replace(/^file:\/\//, '')
    .replace(/.*\/node_modules\//, '')
    .replace(/.*?\/(src|bench|test)\//, '$1/');
}

/**
 * The profile of the thread that served requests, limited to the load window [startUs, endUs]:
 * V8's profile timestamps and process.hrtime() read the same monotonic clock (µs).
 */
export function analyseProfile(
  profiles: CpuProfile[],
  window: { startUs: number; endUs: number },
  mainUsPerRequest: number,
): ProfileAnalysis {
  for (const p of profiles) {
    const a = analyseOne(p, window, mainUsPerRequest);
    if (a) return a;
  }
  throw new Error('no CPU profile holds a request (find-my-way frames) in the load window');
}

function analyseOne(p: CpuProfile, window: { startUs: number; endUs: number }, mainUsPerRequest: number): ProfileAnalysis | null {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stageOf = new Map<number, Stage>();
  const inRequest = new Map<number, boolean>();
  const classify = (id: number): Stage => {
    const known = stageOf.get(id);
    if (known) return known;
    const leaf = byId.get(id)!.callFrame.functionName;
    let stage: Stage = leaf === '(garbage collector)' ? 'gc' : leaf === '(program)' ? 'v8/native' : 'other';
    if (stage === 'other') {
      for (let x: number | undefined = id; x !== undefined; x = parent.get(x)) {
        const s = stageOfFrame(byId.get(x)!.callFrame);
        if (s) {
          stage = s;
          break;
        }
      }
      // Store writes of the reconciler are not lookups: anything under the data plane is background.
      for (let x: number | undefined = id; x !== undefined; x = parent.get(x)) {
        if (byId.get(x)!.callFrame.url.includes('/src/dataplane/')) {
          stage = 'background';
          break;
        }
      }
    }
    stageOf.set(id, stage);
    return stage;
  };
  const isRequest = (id: number): boolean => {
    let r = inRequest.get(id);
    if (r === undefined) {
      r = false;
      for (let x: number | undefined = id; x !== undefined; x = parent.get(x))
        if (byId.get(x)!.callFrame.url.includes('/find-my-way/')) {
          r = true;
          break;
        }
      inRequest.set(id, r);
    }
    return r;
  };
  let first = -1;
  let last = -1;
  let requests = 0;
  for (let i = 0, t = p.startTime; i < p.samples.length; i++) {
    t += p.timeDeltas[i];
    if (t < window.startUs || t > window.endUs) continue;
    if (first < 0) first = i;
    last = i;
    if (isRequest(p.samples[i])) requests++;
  }
  if (requests === 0) return null;
  const stageMs = new Map<Stage, number>(STAGES.map((s) => [s, 0]));
  const self = new Map<number, number>();
  let idleMs = 0;
  let windowMs = 0;
  for (let i = first; i <= last; i++) {
    // A sample's duration is the gap to the next sample.
    const ms = (p.timeDeltas[i + 1] ?? 0) / 1000;
    windowMs += ms;
    const id = p.samples[i];
    if (byId.get(id)!.callFrame.functionName === '(idle)') {
      idleMs += ms;
      continue;
    }
    const stage = classify(id);
    stageMs.set(stage, stageMs.get(stage)! + ms);
    self.set(id, (self.get(id) ?? 0) + ms);
  }
  const busyMs = windowMs - idleMs;
  // The sampler ticks in wall time, so a thread descheduled by other processes keeps being
  // charged to the frame it stopped in: shares are taken from the samples, microseconds from the
  // main thread's CPU time.
  const share = (ms: number) => ms / busyMs;
  const byFunction = new Map<string, SelfTime>();
  for (const [id, ms] of self) {
    const f = byId.get(id)!.callFrame;
    // tsx compiles each module to one line: a line number there says nothing.
    const where = !f.url ? '(native)' : f.url.endsWith('.ts') ? shortUrl(f.url) : `${shortUrl(f.url)}:${f.lineNumber + 1}`;
    const key = `${f.functionName}|${where}`;
    const row = byFunction.get(key) ?? {
      function: f.functionName || '(anonymous)',
      where,
      stage: classify(id),
      sampledMs: 0,
      share: 0,
      usPerRequest: 0,
    };
    row.sampledMs += ms;
    byFunction.set(key, row);
  }
  const top = [...byFunction.values()]
    .sort((a, b) => b.sampledMs - a.sampledMs)
    .slice(0, 20)
    .map((r) => ({ ...r, share: share(r.sampledMs), usPerRequest: share(r.sampledMs) * mainUsPerRequest }));
  return {
    windowMs,
    idleMs,
    busyMs,
    mainUsPerRequest,
    stages: STAGES.map((stage) => {
      const ms = stageMs.get(stage)!;
      return { stage, sampledMs: ms, share: share(ms), usPerRequest: share(ms) * mainUsPerRequest };
    }),
    top,
  };
}

export interface ThreadCpu {
  name: string;
  cpuMs: number;
}

export interface ProfileRun {
  concurrency: number;
  durationSeconds: number;
  connections: number;
  requests: number;
  requestsPerSecond: number;
  threads: ThreadCpu[];
  /** The bare node:http server answering the same bytes under the same load. */
  bare: { requestsPerSecond: number; threads: ThreadCpu[]; requests: number };
}

/** The profiler's own thread is left out: it is the measurement, not the server. */
const PROFILER_THREAD = 'v8:ProfEvntProc';
const usPer = (threads: ThreadCpu[], requests: number) =>
  (threads.filter((t) => t.name !== PROFILER_THREAD).reduce((s, t) => s + t.cpuMs, 0) * 1000) / Math.max(1, requests);

export function profileMarkdown(a: ProfileAnalysis, o: ProfileRun): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  const us = (x: number) => x.toFixed(1);
  const threadList = (ts: ThreadCpu[]) => ts.map((t) => `${t.name} ${(t.cpuMs / 1000).toFixed(2)} s`).join(', ');
  const lines = [
    `sitevpn under \`node --cpu-prof\` (1 ms sampling) with ${o.connections} connections, wrk at concurrency ${o.concurrency} for ${o.durationSeconds} s: ` +
      `${Math.round(o.requestsPerSecond)} req/s while profiled, ${o.requests} requests, each verified and in the access log. ` +
      `The main thread's CPU time (from /proc) was **${us(a.mainUsPerRequest)} µs per request**; the profile's samples split it into stages ` +
      `(main thread idle ${(a.windowMs > 0 ? (100 * a.idleMs) / a.windowMs : 0).toFixed(0)} % of the window: waiting in epoll, or the core taken by other processes).`,
    '',
    '| stage | µs per request | share | what |',
    '|---|---:|---:|---|',
    ...a.stages.map((s) => `| ${s.stage} | ${us(s.usPerRequest)} | ${pct(s.share)} | ${STAGE_TEXT[s.stage]} |`),
    `| **main thread** | **${us(a.mainUsPerRequest)}** | 100 % | |`,
    '',
    `All threads of the server process during the run (from /proc, all pinned to core 1): ${threadList(o.threads)}; ` +
      `without the profiler's thread (${PROFILER_THREAD}), **${us(usPer(o.threads, o.requests))} µs per request**. The bare \`node:http\` server answering the same bytes under the same load ` +
      `(${Math.round(o.bare.requestsPerSecond)} req/s): ${threadList(o.bare.threads)}: **${us(usPer(o.bare.threads, o.bare.requests))} µs per request**.`,
    '',
    'Top self time (main thread, load window):',
    '',
    '| function | where | stage | share of busy | µs per request |',
    '|---|---|---|---:|---:|',
    ...a.top.map((t) => `| \`${t.function}\` | ${t.where} | ${t.stage} | ${pct(t.share)} | ${us(t.usPerRequest)} |`),
  ];
  return `${lines.join('\n')}\n`;
}
