// The interactive side of the CLI in a real terminal: `connections create --wait` runs in a tmux
// pane while the server's data plane is held on a ManualClock, so the connection stays
// PENDING_CREATE until the test moves time on. The pane is read with capture-pane -e, which keeps
// the colour attributes. Needs tmux (Debian package `tmux`): skipped without it, failed under CI=true.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { ManualClock } from '../src/domain/manual-clock.ts';
import { CLI_ENTRY, cliEnv, REPO, runCli } from './support/cli-process.ts';
import { gatewayPair } from './support/fixtures.ts';
import { eventually, startTestServer, TEST_AK, TEST_PROJECT, TEST_SK, type TestServer } from './support/server.ts';

const run = promisify(execFile);
const DELAY_MS = 1000;

function hasTmux(): boolean {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const tmuxMissing = !hasTmux();
if (tmuxMissing) {
  const message = 'tmux is not installed (Debian package: tmux): the terminal tests of the CLI cannot run';
  if (process.env.CI === 'true') throw new Error(message);
  process.stderr.write(`SKIPPED: ${message}\n`);
}

const SOCKET = `sitevpn-cli-test-${process.pid}`;
const tmux = (...args: string[]) => run('tmux', ['-L', SOCKET, '-f', '/dev/null', ...args]);
const sh = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;

/** The pane's text; with escapes, the colour attributes as SGR sequences. */
async function capture(session: string, escapes = false): Promise<string> {
  return (await tmux('capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', session)).stdout;
}

const clock = new ManualClock(Date.now());
let server: TestServer;
before(async () => {
  server = await startTestServer({ simulatedDelayMs: DELAY_MS }, { clock });
});
after(async () => {
  if (!tmuxMissing) await tmux('kill-server').catch(() => undefined);
  await server.close();
});

/** Starts `connections create --wait` in a new pane; the shell prints EXIT=<code> when it ends. */
async function startWait(session: string, cgwIp: string, extraEnv: Record<string, string> = {}): Promise<void> {
  const { gateway, cgw } = await gatewayPair(server, {}, cgwIp);
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/',
    SITEVPN_ENDPOINT: server.endpoint,
    SITEVPN_ACCESS_KEY_ID: TEST_AK,
    SITEVPN_SECRET_ACCESS_KEY: TEST_SK,
    SITEVPN_PROJECT_ID: TEST_PROJECT,
    XDG_CONFIG_HOME: '/nonexistent',
    ...extraEnv,
  };
  const args = [
    'connections',
    'create',
    '--gateway',
    gateway.id,
    '--customer-gateway',
    cgw.id,
    '--peer-subnet',
    '192.168.50.0/24',
    '--wait',
    '--poll-interval',
    '100',
  ];
  const command = [
    'env -i',
    ...Object.entries(env).map(([k, v]) => sh(`${k}=${v}`)),
    sh(process.execPath),
    '--import tsx',
    sh(CLI_ENTRY),
    ...args.map(sh),
    '; echo EXIT=$?; sleep 600',
  ].join(' ');
  await tmux('new-session', '-d', '-s', session, '-x', '220', '-y', '60', '-c', REPO, command);
}

/** Lets the held negotiation happen: the connection turns ACTIVE. */
async function release(): Promise<void> {
  clock.advance(DELAY_MS);
  await server.app.reconciler.idle();
}

describe('sitevpn connections create --wait in a terminal', { skip: tmuxMissing }, () => {
  it('redraws one coloured progress line while PENDING_CREATE, then ends with a green ACTIVE and exit code 0', async () => {
    await startWait('colour', '198.51.100.60');
    const waiting = await eventually(async () => {
      const text = await capture('colour');
      return /\d+ s\)/.test(text) && /waiting for \S+ to become ACTIVE: PENDING_CREATE \(\d+ s\)/.test(text) ? text : undefined;
    }, 60_000);
    // Redrawn in place: one line, however many times it was drawn.
    assert.equal(waiting.split('\n').filter((l) => l.includes('waiting for')).length, 1);
    const coloured = await capture('colour', true);
    assert.match(coloured, /\x1b\[33mPENDING_CREATE\x1b\[39m/);

    await release();
    const done = await eventually(async () => {
      const text = await capture('colour', true);
      return text.includes('EXIT=') ? text : undefined;
    }, 60_000);
    assert.match(done, /EXIT=0\n/);
    assert.match(done, /\x1b\[32m✔\x1b\[39m \S+: \x1b\[32mACTIVE\x1b\[39m after \d+ s/);
    assert.doesNotMatch(done, /waiting for/);
    // The connection itself follows on stdout, its status coloured too.
    assert.match(done, /\nstatus +\x1b\[32mACTIVE(\x1b\[39m)?\n/);
  });

  it('draws no colour at all when NO_COLOR is set, on a terminal', async () => {
    await startWait('plain', '198.51.100.61', { NO_COLOR: '1' });
    await eventually(async () => /waiting for \S+ to become ACTIVE: PENDING_CREATE/.test(await capture('plain')), 60_000);
    await release();
    const done = await eventually(async () => {
      const text = await capture('plain', true);
      return text.includes('EXIT=') ? text : undefined;
    }, 60_000);
    assert.match(done, /EXIT=0\n/);
    assert.match(done, /✔ \S+: ACTIVE after \d+ s/);
    assert.doesNotMatch(done, /\x1b\[/);
  });
});

describe('sitevpn connections create --wait off a terminal', () => {
  it('exits 4 when the connection is not ACTIVE before --timeout, naming its status', async () => {
    const { gateway, cgw } = await gatewayPair(server, {}, '198.51.100.62');
    const env = cliEnv({
      SITEVPN_ENDPOINT: server.endpoint,
      SITEVPN_ACCESS_KEY_ID: TEST_AK,
      SITEVPN_SECRET_ACCESS_KEY: TEST_SK,
      SITEVPN_PROJECT_ID: TEST_PROJECT,
      XDG_CONFIG_HOME: '/nonexistent',
    });
    // The data plane is held: the connection stays PENDING_CREATE however long the CLI looks.
    const r = await runCli(
      [
        'connections',
        'create',
        '--gateway',
        gateway.id,
        '--customer-gateway',
        cgw.id,
        '--peer-subnet',
        '192.168.62.0/24',
        '--wait',
        '--timeout',
        '0',
      ],
      env,
    );
    const id = (
      (await server.huawei.call('GET', '/vpn-connection', undefined, { vgw_id: gateway.id })).body.vpn_connections as { id: string }[]
    )[0].id;
    assert.equal(r.code, 4);
    assert.equal(r.stdout, '');
    assert.match(
      r.stderr,
      new RegExp(
        `^${id}: still PENDING_CREATE after \\d+ s\nsitevpn: timed out after 0 s waiting for ${id} to become ACTIVE \\(status PENDING_CREATE\\)\n$`,
      ),
    );
  });
});
