// `sitevpn configure` and the config file: written 0600 in a 0700 directory under XDG_CONFIG_HOME
// (or ~/.config), the secret never printed, used by the other commands, overridden by SITEVPN_*
// variables. And `sitevpn completion`, loaded into a real bash.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { cliEnv, runCli } from './support/cli-process.ts';
import { startTestServer, TEST_AK, TEST_PROJECT, TEST_SK, type TestServer } from './support/server.ts';

let server: TestServer;
let home: string;
before(async () => {
  server = await startTestServer();
  home = mkdtempSync(join(tmpdir(), 'sitevpn-cli-config-'));
});
after(async () => {
  await server.close();
  rmSync(home, { recursive: true, force: true });
});

describe('sitevpn configure', () => {
  it('writes the endpoint and keys to $XDG_CONFIG_HOME/sitevpn/config.json with mode 0600, the secret read from stdin', async () => {
    const xdg = join(home, 'xdg');
    const env = cliEnv({ HOME: home, XDG_CONFIG_HOME: xdg });
    const args = [
      'configure',
      '--endpoint',
      server.endpoint,
      '--access-key-id',
      TEST_AK,
      '--project-id',
      TEST_PROJECT,
      '--secret-access-key-stdin',
    ];
    const r = await runCli(args, env, `${TEST_SK}\n`);
    const path = join(xdg, 'sitevpn', 'config.json');
    assert.deepEqual(r, { code: 0, stdout: `wrote ${path} (mode 0600)\n`, stderr: '' });
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(statSync(join(xdg, 'sitevpn')).mode & 0o777, 0o700);
    assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), {
      endpoint: server.endpoint,
      accessKeyId: TEST_AK,
      secretAccessKey: TEST_SK,
      projectId: TEST_PROJECT,
    });

    const shown = await runCli(['configure', '--show', '--json'], env);
    assert.deepEqual(JSON.parse(shown.stdout), {
      path,
      endpoint: server.endpoint,
      access_key_id: TEST_AK,
      secret_access_key: 'set',
      project_id: TEST_PROJECT,
    });
    const people = await runCli(['configure', '--show'], env);
    assert.ok(!people.stdout.includes(TEST_SK) && people.stdout.includes('secret_access_key  set'));

    // The other commands find everything in the file.
    const listed = await runCli(['gateways', 'list', '--json'], env);
    assert.deepEqual([listed.code, listed.stdout, listed.stderr], [0, '[]\n', '']);
  });

  it('lets SITEVPN_* variables override the file, and a flag override both', async () => {
    const xdg = join(home, 'override');
    const env = cliEnv({ HOME: home, XDG_CONFIG_HOME: xdg });
    const written = await runCli(
      [
        'configure',
        '--endpoint',
        'http://127.0.0.1:1',
        '--access-key-id',
        TEST_AK,
        '--project-id',
        TEST_PROJECT,
        '--secret-access-key',
        'wrong-secret',
      ],
      env,
    );
    assert.equal(written.code, 0);
    const fromFile = await runCli(['gateways', 'list'], env);
    assert.equal(fromFile.code, 1);
    assert.match(fromFile.stderr, /^sitevpn: cannot reach http:\/\/127\.0\.0\.1:1: /);
    const envWins = await runCli(['gateways', 'list', '--json'], {
      ...env,
      SITEVPN_ENDPOINT: server.endpoint,
      SITEVPN_SECRET_ACCESS_KEY: TEST_SK,
    });
    assert.deepEqual([envWins.code, envWins.stdout], [0, '[]\n']);
    const flagWins = await runCli(['gateways', 'list', '--json', '--endpoint', server.endpoint], {
      ...env,
      SITEVPN_ENDPOINT: 'http://127.0.0.1:1',
      SITEVPN_SECRET_ACCESS_KEY: TEST_SK,
    });
    assert.deepEqual([flagWins.code, flagWins.stdout], [0, '[]\n']);
    // With the file's wrong secret the server refuses the signature: an API error, exit code 1.
    const wrong = await runCli(['gateways', 'list'], { ...env, SITEVPN_ENDPOINT: server.endpoint });
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /^sitevpn: HTTP 401 /);
    assert.ok(!wrong.stderr.includes('wrong-secret'));
  });

  it('uses ~/.config/sitevpn/config.json without XDG_CONFIG_HOME, the file SITEVPN_CONFIG names if set, and refuses a file that is not JSON with exit code 2', async () => {
    const own = mkdtempSync(join(home, 'home-'));
    const env = cliEnv({ HOME: own });
    assert.equal(
      (await runCli(['configure', '--access-key-id', TEST_AK], env)).stdout,
      `wrote ${join(own, '.config', 'sitevpn', 'config.json')} (mode 0600)\n`,
    );
    const path = join(own, '.config', 'sitevpn', 'config.json');
    assert.equal(statSync(path).mode & 0o777, 0o600);
    const named = join(own, 'elsewhere.json');
    const custom = await runCli(['configure', '--project-id', TEST_PROJECT], { ...env, SITEVPN_CONFIG: named });
    assert.deepEqual([custom.stdout, statSync(named).mode & 0o777], [`wrote ${named} (mode 0600)\n`, 0o600]);
    rmSync(path);
    writeFileSync(path, '{not json', { mode: 0o600 });
    const r = await runCli(['gateways', 'list'], env);
    assert.deepEqual(r, { code: 2, stdout: '', stderr: `sitevpn: ${path} is not valid JSON (sitevpn configure rewrites it)\n` });
  });
});

describe('sitevpn completion', () => {
  const bash = promisify(execFile);

  /** What bash's completion offers for the words typed so far (the last one being completed). */
  async function complete(script: string, words: string[]): Promise<string[]> {
    const program = `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _sitevpn; printf '%s\\n' "\${COMPREPLY[@]}"`;
    const { stdout } = await bash('bash', ['--norc', '--noprofile', '-c', program]);
    return stdout.split('\n').filter(Boolean);
  }

  it('completes commands, subcommands and options in bash', async () => {
    const r = await runCli(['completion', 'bash'], cliEnv({ HOME: home }));
    assert.equal(r.code, 0);
    assert.deepEqual(await complete(r.stdout, ['sitevpn', 'con']), ['configure', 'connections']);
    assert.deepEqual(await complete(r.stdout, ['sitevpn', 'connections', '']), ['list', 'show', 'create', 'delete']);
    assert.deepEqual(await complete(r.stdout, ['sitevpn', 'connections', 'create', '--wa']), ['--wait']);
    assert.deepEqual(await complete(r.stdout, ['sitevpn', 'events', '--fo']), ['--follow']);
    assert.deepEqual(await complete(r.stdout, ['sitevpn', 'tunnels', 'h']), ['history']);
  });

  it('prints a zsh script that loads the same function through bashcompinit, and refuses another shell with exit code 2', async () => {
    const r = await runCli(['completion', 'zsh'], cliEnv({ HOME: home }));
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^# sitevpn completion for zsh .*\nautoload -U \+X bashcompinit && bashcompinit\n# sitevpn completion for bash/);
    assert.match(r.stdout, /\ncomplete -o default -F _sitevpn sitevpn\n$/);
    const fish = await runCli(['completion', 'fish'], cliEnv({ HOME: home }));
    assert.deepEqual(fish, {
      code: 2,
      stdout: '',
      stderr: "error: command-argument value 'fish' is invalid for argument 'shell'. Allowed choices are bash, zsh.\n",
    });
  });
});
