// A two-site lab for the strongSwan suites: two network namespaces joined by a veth pair, each
// with its own charon-systemd (own STRONGSWAN_CONF, VICI socket and log in a temp dir, userspace
// ESP through kernel-libipsec). Only addresses inside these namespaces are used; nothing routes out.
//
//   svgw-<id>  veth gw side: the gateway outside IPs    lo: the gateway site address
//   svcgw-<id> veth cgw side: the customer gateway IPs  lo: the customer site address
import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const STRONGSWAN_PACKAGES = 'charon-systemd strongswan-swanctl libcharon-extra-plugins iproute2';
const CHARON = '/usr/sbin/charon-systemd';

/** Why the lab cannot run here, or null when it can (root, strongSwan and iproute2 installed). */
export function labUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'not running as root (network namespaces need it)';
  if (!existsSync(CHARON)) return `${CHARON} is missing`;
  if (!existsSync('/usr/sbin/swanctl')) return '/usr/sbin/swanctl is missing';
  if (spawnSync('ip', ['-V']).status !== 0) return 'ip (iproute2) is missing';
  return null;
}

export function sh(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; allowFail?: boolean } = {}): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: opts.env ?? process.env, timeout: 30_000 });
  if (r.status !== 0 && !opts.allowFail) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.stdout}`);
  return r.stdout;
}

export function inNs(ns: string, cmd: string[], opts: { env?: NodeJS.ProcessEnv; allowFail?: boolean } = {}): string {
  return sh('ip', ['netns', 'exec', ns, ...cmd], opts);
}

/** charon.retransmit_tries / _timeout / _base: how long a silent peer is retried (IKEv2 DPD too). */
export interface CharonTimings {
  retransmitTries?: number;
  retransmitTimeout?: number;
  retransmitBase?: number;
}

export class Charon {
  readonly dir: string;
  readonly conf: string;
  readonly socket: string;
  readonly log: string;
  #proc: ChildProcess | null = null;

  constructor(
    readonly ns: string,
    readonly label: string,
    timings: CharonTimings = {},
  ) {
    this.dir = mkdtempSync(join(tmpdir(), `sv-${label}-`));
    this.conf = join(this.dir, 'strongswan.conf');
    this.socket = join(this.dir, 'charon.vici');
    this.log = join(this.dir, 'charon.log');
    writeFileSync(this.conf, strongswanConf(this.socket, this.log, timings));
  }

  get viciUri(): string {
    return `unix://${this.socket}`;
  }

  get env(): NodeJS.ProcessEnv {
    return { ...process.env, STRONGSWAN_CONF: this.conf };
  }

  get running(): boolean {
    return this.#proc !== null && this.#proc.exitCode === null && this.#proc.signalCode === null;
  }

  /**
   * Starts the daemon in its namespace and waits until a VICI session to it answers. The socket
   * file appears before charon listens on it (a connect then gets ECONNREFUSED), so existence
   * proves nothing: connect and ask for the version, again after a short back-off, within a cap.
   */
  async start(capMs = 10_000): Promise<void> {
    if (this.running) return;
    rmSync(this.socket, { force: true });
    const proc = spawn('ip', ['netns', 'exec', this.ns, CHARON], { env: this.env, stdio: 'ignore' });
    this.#proc = proc;
    await waitForVici(this.viciUri, capMs, () => {
      if (!this.running) throw new Error(`charon (${this.label}) exited at start; log:\n${this.logText()}`);
    });
  }

  /** Stops the daemon: SIGTERM (clean shutdown, deletes its SAs) or SIGKILL (the peer sees silence). */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    const proc = this.#proc;
    if (!proc || !this.running) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill(signal);
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
    rmSync(this.socket, { force: true });
  }

  /** swanctl against this daemon (e.g. ['--load-all', '--file', path]); asynchronous, so a
   *  sitevpn running in this process keeps serving meanwhile. Resolves with stdout + stderr. */
  swanctl(args: string[], allowFail = false): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile('swanctl', args, { env: this.env, timeout: 30_000 }, (err, stdout, stderr) => {
        const out = `${stdout}${stderr}`;
        if (err && !allowFail) reject(new Error(`swanctl ${args.join(' ')} failed: ${out}`));
        else resolve(out);
      });
    });
  }

  logText(): string {
    return existsSync(this.log) ? readFileSync(this.log, 'utf8') : '';
  }

  async dispose(): Promise<void> {
    await this.stop('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function strongswanConf(socket: string, log: string, t: CharonTimings): string {
  return `charon {
  load_modular = yes
  retransmit_tries = ${t.retransmitTries ?? 2}
  retransmit_timeout = ${t.retransmitTimeout ?? 1}
  retransmit_base = ${t.retransmitBase ?? 1.4}
  plugins {
    include /etc/strongswan.d/charon/*.conf
    vici { socket = unix://${socket} }
    kernel-libipsec { load = yes }
    stroke { load = no }
    resolve { load = no }
  }
  filelog {
    log {
      path = ${log}
      flush_line = yes
      time_format = %T
      default = 1
      ike = 2
      cfg = 1
    }
  }
}
swanctl {
  load = random openssl pem pkcs1 pkcs8 x509 pubkey
  socket = unix://${socket}
}
`;
}

export interface LabOptions {
  /** Outside IPs of the gateway side (e.g. the first hosts of the server's outsideIpPool). */
  gatewayIps: string[];
  /** Customer gateway IPs. */
  customerIps: string[];
  gatewaySite?: string;
  customerSite?: string;
  timings?: CharonTimings;
}

export class Lab {
  readonly gwNs: string;
  readonly cgwNs: string;
  readonly gw: Charon;
  readonly cgw: Charon;
  readonly gatewaySite: string;
  readonly customerSite: string;
  /** The veth ends (interface names are at most 15 bytes). */
  readonly vg: string;
  readonly vc: string;

  private constructor(readonly opts: LabOptions) {
    const id = `${process.pid}-${Math.floor(Math.random() * 1e4)}`;
    this.vg = `vg${id}`.slice(0, 15);
    this.vc = `vc${id}`.slice(0, 15);
    this.gwNs = `svgw-${id}`;
    this.cgwNs = `svcgw-${id}`;
    this.gatewaySite = opts.gatewaySite ?? '10.10.0.1';
    this.customerSite = opts.customerSite ?? '10.20.0.1';
    this.gw = new Charon(this.gwNs, 'gw', opts.timings);
    this.cgw = new Charon(this.cgwNs, 'cgw', opts.timings);
  }

  /** Namespaces, veth pair, addresses and both charons. Tears down what it made if a step fails. */
  static async create(opts: LabOptions): Promise<Lab> {
    const lab = new Lab(opts);
    try {
      lab.#network();
      await lab.gw.start();
      await lab.cgw.start();
    } catch (err) {
      await lab.destroy();
      throw err;
    }
    return lab;
  }

  #network(): void {
    const { gwNs, cgwNs } = this;
    const { vg, vc } = this;
    sh('ip', ['netns', 'add', gwNs]);
    sh('ip', ['netns', 'add', cgwNs]);
    sh('ip', ['link', 'add', vg, 'netns', gwNs, 'type', 'veth', 'peer', 'name', vc, 'netns', cgwNs]);
    for (const [ns, dev, addrs, site, peers] of [
      [gwNs, vg, this.opts.gatewayIps, this.gatewaySite, this.opts.customerIps],
      [cgwNs, vc, this.opts.customerIps, this.customerSite, this.opts.gatewayIps],
    ] as const) {
      inNs(ns, ['ip', 'link', 'set', 'lo', 'up']);
      inNs(ns, ['ip', 'link', 'set', dev, 'up']);
      for (const a of addrs) inNs(ns, ['ip', 'addr', 'add', `${a}/32`, 'dev', dev]);
      for (const p of peers) inNs(ns, ['ip', 'route', 'add', `${p}/32`, 'dev', dev]);
      inNs(ns, ['ip', 'addr', 'add', `${site}/32`, 'dev', 'lo']);
    }
  }

  /** Adds more customer addresses (e.g. one per customer gateway of a benchmark). */
  addCustomerIps(ips: string[]): void {
    for (const ip of ips) {
      inNs(this.cgwNs, ['ip', 'addr', 'add', `${ip}/32`, 'dev', this.vc]);
      inNs(this.gwNs, ['ip', 'route', 'add', `${ip}/32`, 'dev', this.vg]);
    }
  }

  /** Adds "site" addresses on lo (charon routes a CHILD_SA's traffic from a local address inside its selectors). */
  addSiteAddresses(gateway: string[], customer: string[]): void {
    for (const a of gateway) inNs(this.gwNs, ['ip', 'addr', 'add', `${a}/32`, 'dev', 'lo']);
    for (const a of customer) inNs(this.cgwNs, ['ip', 'addr', 'add', `${a}/32`, 'dev', 'lo']);
  }

  /**
   * Sends a few bytes from the customer site address to a TCP echo server on the gateway site
   * address and checks they come back. The only route between the two is the tunnel (ipsec0);
   * Node stands in for ping, which these machines do not have.
   */
  async echoThroughTunnel(payload = 'sitevpn-probe'): Promise<boolean> {
    const port = 20000 + Math.floor(Math.random() * 20000);
    const server = spawn(
      'ip',
      [
        'netns',
        'exec',
        this.gwNs,
        process.execPath,
        '-e',
        `require('net').createServer((s) => s.pipe(s)).listen(${port}, '${this.gatewaySite}', () => console.log('ready'))`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        server.stdout!.once('data', () => resolve());
        server.once('exit', (code) => reject(new Error(`echo server exited (${code})`)));
      });
      const client = `const s = require('net').connect({ host: '${this.gatewaySite}', port: ${port}, localAddress: '${this.customerSite}', timeout: 4000 }, () => s.end(${JSON.stringify(payload)}));
        let d = ''; s.on('data', (c) => (d += c)); s.on('end', () => process.exit(d === ${JSON.stringify(payload)} ? 0 : 1));
        s.on('timeout', () => process.exit(2)); s.on('error', () => process.exit(3));`;
      return await new Promise<boolean>((resolve) => {
        execFile('ip', ['netns', 'exec', this.cgwNs, process.execPath, '-e', client], { timeout: 8000 }, (err) => resolve(!err));
      });
    } finally {
      server.kill('SIGKILL');
    }
  }

  /** Saves one exported swanctl.conf for the customer charon (all saved files load together). */
  saveCustomerConfig(name: string, text: string): string {
    const dir = join(this.cgw.dir, 'conf.d');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `${name}.conf`);
    writeFileSync(path, text);
    writeFileSync(join(this.cgw.dir, 'swanctl.conf'), `include ${dir}/*.conf\n`);
    return path;
  }

  /** swanctl --load-all of every saved customer file; returns swanctl's output. */
  loadCustomerConfig(): Promise<string> {
    return this.cgw.swanctl(['--load-all', '--file', join(this.cgw.dir, 'swanctl.conf')]);
  }

  /** swanctl --initiate from the customer side (its output, which names any notify error). */
  initiateFromCustomer(child: string, ike: string, timeoutSeconds = 10): Promise<string> {
    return this.cgw.swanctl(['--initiate', '--child', child, '--ike', ike, '--timeout', String(timeoutSeconds)], true);
  }

  /** Kills both daemons and deletes both namespaces (the veth pair goes with them). Idempotent. */
  async destroy(): Promise<void> {
    await Promise.allSettled([this.gw.dispose(), this.cgw.dispose()]);
    for (const ns of [this.gwNs, this.cgwNs]) sh('ip', ['netns', 'del', ns], { allowFail: true });
  }
}

/**
 * Resolves once a VICI session to `uri` connects and answers; retries after a back-off of 5 ms
 * doubling to 200 ms, and throws after `capMs`. `check` runs before each attempt (and may throw,
 * e.g. when the daemon has exited). Returns the number of attempts.
 */
export async function waitForVici(uri: string, capMs = 10_000, check: () => void = () => {}): Promise<number> {
  const deadline = Date.now() + capMs;
  let wait = 5;
  for (let attempt = 1; ; attempt++) {
    check();
    const failure = await viciAnswers(uri);
    if (failure === null) return attempt;
    if (Date.now() + wait > deadline)
      throw new Error(`no VICI session to ${uri} within ${capMs} ms after ${attempt} attempts (last: ${failure})`);
    await sleep(wait);
    wait = Math.min(wait * 2, 200);
  }
}

/** Null when a VICI session to `uri` connects and answers `version`; else why not. */
export async function viciAnswers(uri: string): Promise<string | null> {
  const { ViciClient } = await import('../../src/dataplane/strongswan/vici/commands.ts');
  try {
    const client = await ViciClient.connect(uri, { timeoutMs: 2_000 });
    try {
      await client.version({ timeoutMs: 2_000 });
      return null;
    } finally {
      await client.close().catch(() => {});
    }
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

// ---- helpers for the suites ---------------------------------------------------------------------

/**
 * node:test's `skip` for a strongSwan suite: false when it can run; otherwise a loud reason naming
 * the Debian packages. With CI=true it never skips, so a machine without strongSwan fails.
 */
export function skipReason(why: string | null): string | false {
  if (why === null || process.env.CI === 'true') return false;
  const reason = `strongSwan suite SKIPPED: ${why}. Run as root with: apt-get install ${STRONGSWAN_PACKAGES}`;
  process.stderr.write(`\n*** ${reason} ***\n\n`);
  return reason;
}

/** Polls fn until it returns something truthy; throws with `what` after timeoutMs (a cap for a loaded machine, not a figure asserted). */
export async function until<T>(
  fn: () => Promise<T | undefined | false | null>,
  timeoutMs = 60_000,
  what = 'condition',
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not met within ${timeoutMs} ms`);
    await sleep(intervalMs);
  }
}

export type PlainSa = Record<string, any> & { name: string; children: Record<string, any>[] };

/** Every IKE_SA a charon's list-sas shows, as plain objects (name added, child-sas as a list). */
export async function listSas(viciUri: string): Promise<PlainSa[]> {
  const { ViciClient } = await import('../../src/dataplane/strongswan/vici/commands.ts');
  const { toPlain } = await import('../../src/dataplane/strongswan/vici/message.ts');
  const client = await ViciClient.connect(viciUri);
  try {
    const out: PlainSa[] = [];
    for (const message of await client.listSas()) {
      for (const [name, sa] of Object.entries(toPlain(message) as Record<string, any>)) {
        out.push({ ...sa, name, children: Object.values(sa['child-sas'] ?? {}) });
      }
    }
    return out;
  } finally {
    await client.close();
  }
}

/** The fields both ends must agree on. */
export function negotiatedFields(ike: Record<string, any>, child: Record<string, any>): Record<string, string | undefined> {
  const pick = (o: Record<string, any>, keys: string[], prefix: string) => Object.fromEntries(keys.map((k) => [`${prefix}${k}`, o[k]]));
  return {
    version: ike.version,
    ...pick(ike, ['encr-alg', 'encr-keysize', 'integ-alg', 'prf-alg', 'dh-group'], 'ike.'),
    ...pick(child, ['encr-alg', 'encr-keysize', 'integ-alg', 'dh-group'], 'child.'),
  };
}

/** The established SA pair between two hosts as one charon sees it, or null. */
export async function installedSa(
  viciUri: string,
  hosts: { local: string; remote: string },
): Promise<{ ike: PlainSa; child: Record<string, any>; fields: Record<string, string | undefined> } | null> {
  const sas = await listSas(viciUri);
  for (const ike of sas.filter((s) => s.state === 'ESTABLISHED' && s['local-host'] === hosts.local && s['remote-host'] === hosts.remote)) {
    const child = ike.children.find((c) => c.state === 'INSTALLED');
    if (child) return { ike, child, fields: negotiatedFields(ike, child) };
  }
  return null;
}

/** Replaces the PSK placeholders of an exported configuration, tunnel by tunnel. */
export function withPsks(config: string, psks: string[]): string {
  return psks.reduce((text, psk, i) => text.replaceAll(`REPLACE_WITH_TUNNEL${i + 1}_PSK`, psk), config);
}

/** The conn (= child) names of an exported swanctl.conf, in order. */
export function connNames(config: string): string[] {
  return [...config.matchAll(/^ {2}(\S+) \{$/gm)].map((m) => m[1]).filter((n) => !n.startsWith('ike-'));
}
