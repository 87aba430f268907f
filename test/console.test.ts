// The web console at /ui in a real browser: playwright-core drives Debian's Chromium against a
// real server on a ManualClock, so the tunnel only comes up or goes down when the test says so.
// The page signs every call itself; the test checks it never keeps the secret where it could leak.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { signRequest } from '../src/cli/sign.ts';
import { ManualClock } from '../src/domain/manual-clock.ts';
import { CONSOLE_CSP } from '../src/http/console.ts';
import { send, signHuawei } from './support/huawei-raw.ts';
import { startTestServer, TEST_AK, TEST_PROJECT, TEST_SK, type TestServer } from './support/server.ts';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = join(import.meta.dirname, '..', 'docs', 'screenshots');
const DELAY_MS = 10;
const WAIT = { timeout: 15_000 };
const hasChromium = existsSync(CHROMIUM);
const MISSING = `${CHROMIUM} is missing: install the Debian package \`chromium\` (apt-get install chromium) to run the console's browser test`;

if (!hasChromium) {
  if (process.env.CI === 'true') {
    it('finds Chromium for the browser test (required when CI=true)', () => assert.fail(MISSING));
  } else {
    console.warn(`\n*** SKIPPING the web console browser test: ${MISSING} ***\n`);
  }
}

interface Dump {
  idb: string;
  stored?: { key?: unknown };
  exportError: string;
  local: string;
  session: string;
  html: string;
  inputs: string;
  cookies: string;
}

// Runs in the page (as source text, so the test's compiler leaves it alone): every value the
// page could have kept, with CryptoKeys described and byte arrays decoded to text.
const DUMP_STORAGE = `(async () => {
  const plain = (v) => {
    if (v instanceof CryptoKey) return { cryptoKey: true, extractable: v.extractable, type: v.type, usages: v.usages };
    if (v instanceof ArrayBuffer || ArrayBuffer.isView(v)) return new TextDecoder().decode(v);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
    return v;
  };
  const request = (r) => new Promise((res, rej) => { r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error); });
  const seen = [];
  let exportError = '';
  for (const info of await indexedDB.databases()) {
    const db = await request(indexedDB.open(info.name));
    for (const name of Array.from(db.objectStoreNames)) {
      const values = await request(db.transaction(name).objectStore(name).getAll());
      seen.push(...values.map(plain));
      for (const v of values) if (v && v.key instanceof CryptoKey) await crypto.subtle.exportKey('raw', v.key).catch((e) => (exportError = e.name));
    }
    db.close();
  }
  return {
    idb: JSON.stringify(seen),
    stored: seen.find((v) => v && v.key && v.key.cryptoKey),
    exportError,
    local: JSON.stringify(Object.entries(localStorage)),
    session: JSON.stringify(Object.entries(sessionStorage)),
    html: document.documentElement.outerHTML,
    inputs: Array.from(document.querySelectorAll('input, textarea')).map((i) => i.value).join('\\n'),
    cookies: document.cookie,
  };
})()`;

describe('the web console at /ui', { skip: hasChromium ? false : MISSING }, () => {
  const clock = new ManualClock(Date.now());
  let server: TestServer;
  let context: BrowserContext;
  let page: Page;
  let profileDir: string;
  let connectionId: string;
  const pageErrors: string[] = [];

  before(async () => {
    server = await startTestServer({ simulatedDelayMs: DELAY_MS }, { clock });
    profileDir = mkdtempSync(join(tmpdir(), 'sitevpn-chromium-'));
    mkdirSync(SHOTS, { recursive: true });
    const { chromium } = await import('playwright-core');
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1360, height: 900 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => pageErrors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(`console: ${m.text()}`);
    });
  });
  after(async () => {
    await context?.close();
    await server?.close();
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  });

  /** Moves simulated time on and waits until the reconciler has stored (and streamed) what happened. */
  async function advance(ms: number): Promise<void> {
    clock.advance(ms);
    await server.app.reconciler.idle();
  }

  /** A full-page screenshot, without the passing notification that would cover the content. */
  async function shot(name: string): Promise<void> {
    await page.evaluate("document.getElementById('toast').hidden = true");
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  }
  const nav = { getByRole: (role: 'link', o: { name: string }) => page.getByRole('navigation', { name: 'Resources' }).getByRole(role, o) };
  const row = (id: string) => page.locator(`tr[data-connection-id="${id}"]`);

  it('serves the page with a strict Content-Security-Policy and nothing outside src/ui', async () => {
    const res = await fetch(`${server.endpoint}/ui/`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-security-policy'), CONSOLE_CSP);
    assert.match(CONSOLE_CSP, /script-src 'self';/);
    assert.doesNotMatch(CONSOLE_CSP, /unsafe/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.match(await res.text(), /<script type="module" src="\/ui\/js\/app.js">/);
    const redirect = await fetch(`${server.endpoint}/ui`, { redirect: 'manual' });
    assert.deepEqual([redirect.status, redirect.headers.get('location')], [302, '/ui/']);
    for (const path of ['/ui/nope.js', '/ui/..%2Fhttp%2Fconsole.ts', '/ui/js/../../http/console.ts']) {
      // 404, or 400 where the HTTP layer already refuses an encoded path separator: never the file.
      const r = await fetch(`${server.endpoint}${path}`);
      assert.ok([400, 404].includes(r.status), `${path}: ${r.status}`);
      assert.doesNotMatch(await r.text(), /webConsole|fastify/, path);
    }
  });

  it('refuses a wrong secret and signs in with the right one', async () => {
    await page.goto(`${server.endpoint}/ui/`);
    await page.getByLabel('Access key ID').fill(TEST_AK);
    await page.getByLabel('Secret access key').fill('not-the-secret-0123456789');
    await page.getByLabel('Project ID').fill(TEST_PROJECT);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Sign-in failed' }).waitFor(WAIT);
    assert.equal(
      await page.locator('form.signin .form-error').textContent(),
      'Sign-in failed: APIGW.0301: Incorrect IAM authentication information: verify aksk signature fail',
    );
    assert.equal(await page.getByLabel('Secret access key').inputValue(), '');
    // The refused call is the only request the browser reports as failed.
    assert.deepEqual(pageErrors.splice(0), ['console: Failed to load resource: the server responded with a status of 401 (Unauthorized)']);
    await shot('01-sign-in');
    await page.getByLabel('Secret access key').fill(TEST_SK);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'VPN connections' }).waitFor(WAIT);
    await page.locator('#live[data-live="on"]').waitFor(WAIT);
    assert.equal(await page.locator('#project-id').textContent(), TEST_PROJECT);
  });

  it('signs in the page exactly as the CLI signer does, query strings and escaped paths included', async () => {
    const input = {
      method: 'POST',
      url: 'http://127.0.0.1:8787/v5/p/a%7Cb/c d?limit=2&marker=x%2By&name=a+b&flag',
      body: '{"a":"é"}',
      accessKeyId: 'AK1',
      now: Date.UTC(2026, 0, 2, 3, 4, 5),
    };
    const browser = await page.evaluate(
      `(async (i) => {
        const m = await import('/ui/js/sign.js');
        const key = await m.importSecret('sk-\u00e9-secret');
        return m.signRequest({ ...i, key });
      })(${JSON.stringify(input)})`,
    );
    assert.deepEqual(browser, signRequest({ ...input, secretAccessKey: 'sk-é-secret' }));
  });

  it('creates a VPN gateway and a customer gateway through the forms', async () => {
    await nav.getByRole('link', { name: 'VPN gateways' }).click();
    await page.getByLabel('Name').fill('hq');
    await page.getByLabel('VPC ID').fill('0b6b9a2e-3f7c-4d7e-9a51-2f1d6c8e4a10');
    await page.getByLabel('Connect subnet ID').fill('5c0e7d11-8a2b-4c3d-9e4f-6a7b8c9d0e1f');
    await page.getByLabel('Local subnets').fill('10.0.0.0/16');
    await page.getByRole('button', { name: 'Create gateway' }).click();
    await page.locator('tr[data-gateway-id]').filter({ hasText: 'hq' }).waitFor(WAIT);
    assert.match((await page.locator('tr[data-gateway-id]').textContent()) ?? '', /hq.*ACTIVE.*203\.0\.113\.1/);
    await shot('02-gateways');

    await nav.getByRole('link', { name: 'Customer gateways' }).click();
    await page.getByLabel('Name').fill('branch');
    await page.getByLabel('Public IP address').fill('198.51.100.7');
    await page.getByRole('button', { name: 'Create customer gateway' }).click();
    await page.locator('tr[data-customer-gateway-id]').filter({ hasText: 'branch' }).waitFor(WAIT);
    const [cgw] = (await server.huawei.call('GET', '/customer-gateways')).body.customer_gateways;
    assert.deepEqual([cgw.name, cgw.id_value], ['branch', '198.51.100.7']);
  });

  it('creates a connection and shows it turn ACTIVE live, without reloading', async () => {
    await nav.getByRole('link', { name: 'VPN connections' }).click();
    await page.getByLabel('Name (optional)').fill('hq-to-branch');
    await page.getByLabel('Peer subnets').fill('192.168.0.0/24');
    await page.getByLabel('Pre-shared key').fill('Abcdefgh1234');
    await page.getByRole('button', { name: 'Create connection' }).click();
    const created = page.locator('tr[data-connection-id]').filter({ hasText: 'hq-to-branch' });
    await created.waitFor(WAIT);
    connectionId = (await created.getAttribute('data-connection-id'))!;
    assert.equal(await row(connectionId).locator('.badge').textContent(), 'PENDING_CREATE');
    // A marker that a reload would wipe.
    await page.evaluate("window.marker = 'same page'");
    await advance(DELAY_MS);
    await row(connectionId).locator('.badge[data-status="ACTIVE"]').waitFor(WAIT);
    assert.equal(await page.evaluate('window.marker'), 'same page');
    await shot('03-connections-active');
  });

  it('shows the negotiated parameters, no warnings and the timeline of the ACTIVE tunnel', async () => {
    await row(connectionId).getByRole('link', { name: 'hq-to-branch' }).click();
    const tunnel = page.locator('tr[data-tunnel-id]');
    await tunnel.locator('.badge[data-status="UP"]').waitFor(WAIT);
    const text = (await tunnel.textContent()) ?? '';
    assert.match(text, /IKEv2/);
    assert.match(text, /Phase 1aes128-cbc · sha2-256 · .*DH 15/);
    assert.match(text, /203\.0\.113\.1 ⇄ 198\.51\.100\.7/);
    assert.equal(await page.locator('.ok-note').textContent(), 'No weak algorithms negotiated and no drift from the configuration.');
    assert.deepEqual(await page.locator('ol.timeline .kind').allTextContents(), ['ike-up']);
    await page.evaluate("window.marker = 'detail page'");
    await shot('04-connection-active');
  });

  it('shows the tunnel DOWN with its reason once peer-unreachable and dpd-timeout faults are injected', async () => {
    for (const fault of ['peer-unreachable', 'dpd-timeout']) {
      const path = `/sitevpn/v1/projects/${TEST_PROJECT}/vpn-connections/${connectionId}/faults`;
      const r = await send(signHuawei({ endpoint: server.endpoint, method: 'POST', path, data: { fault }, ak: TEST_AK, sk: TEST_SK }));
      assert.equal(r.status, 202, r.text);
    }
    await server.app.reconciler.idle();
    const tunnel = page.locator('tr[data-tunnel-id]');
    await tunnel.locator('.badge[data-status="DOWN"]').waitFor(WAIT);
    await page.locator('#connection-status .badge[data-status="DOWN"]').waitFor(WAIT);
    assert.match((await tunnel.locator('td.reason').textContent()) ?? '', /DPD timeout/);
    const kinds = await page.locator('ol.timeline .kind').allTextContents();
    assert.deepEqual(kinds.slice(0, 1), ['dpd-timeout']);
    assert.equal(await page.evaluate('window.marker'), 'detail page');
    await shot('05-connection-down');
  });

  it('exports the device configuration to copy, with the PSK as a placeholder', async () => {
    await page.getByRole('button', { name: 'Generate configuration' }).click();
    const config = page.getByRole('textbox', { name: 'Generated device configuration' });
    await config.waitFor(WAIT);
    const text = await config.inputValue();
    assert.match(text, new RegExp(`^# swanctl.conf for sitevpn VPN connection ${connectionId}`));
    assert.match(text, /secret = "REPLACE_WITH_TUNNEL1_PSK"/);
    assert.doesNotMatch(text, /Abcdefgh1234/);
    assert.equal(await page.getByRole('button', { name: 'Copy to clipboard' }).isEnabled(), true);
    await shot('06-device-configuration');
  });

  it('warns about weak algorithms a tunnel negotiated', async () => {
    const [gateway] = (await server.huawei.call('GET', '/vpn-gateways')).body.vpn_gateways;
    const [cgw] = (await server.huawei.call('GET', '/customer-gateways')).body.customer_gateways;
    const created = await server.huawei.call('POST', '/vpn-connection', {
      vpn_connection: {
        name: 'legacy-branch',
        vgw_id: gateway.id,
        vgw_ip: gateway.eip2.id,
        cgw_id: cgw.id,
        peer_subnets: ['192.168.8.0/24'],
        psk: 'Abcdefgh1234',
        ikepolicy: { authentication_algorithm: 'md5', encryption_algorithm: '3des', dh_group: 'group2' },
        ipsecpolicy: { authentication_algorithm: 'sha1', encryption_algorithm: 'aes-128', pfs: 'group14' },
      },
    });
    assert.equal(created.status, 201);
    await advance(DELAY_MS);
    // A fresh load: the session comes back from IndexedDB as the stored CryptoKey, no sign-in.
    await page.goto(`${server.endpoint}/ui/#/connections/${created.body.vpn_connection.id}`);
    await page.locator('tr[data-tunnel-id] .badge[data-status="UP"]').waitFor(WAIT);
    assert.deepEqual(await page.locator('ul.warnings li').allTextContents(), [
      'Tunnel 1 · weak crypto: phase 1 encryption 3des-cbc is weak: 64-bit block cipher (Sweet32); prefer aes256-gcm16 or aes256-cbc',
      'Tunnel 1 · weak crypto: phase 1 integrity md5 is weak: MD5 collisions are practical; prefer sha2-256 or stronger',
      'Tunnel 1 · weak crypto: phase 1 DH group 2 is weak: 1024-bit MODP; prefer group 14, 19 or stronger',
      'Tunnel 1 · weak crypto: phase 2 integrity sha1 is weak: SHA-1 is deprecated; prefer sha2-256 or stronger',
    ]);
    await shot('07-weak-crypto-warnings');
  });

  it('keeps the secret only as a non-extractable key: never in storage, IndexedDB, cookies or the page', async () => {
    const dump = (await page.evaluate(DUMP_STORAGE)) as Dump;
    for (const [where, text] of Object.entries({
      idb: dump.idb,
      local: dump.local,
      session: dump.session,
      html: dump.html,
      inputs: dump.inputs,
      cookie: dump.cookies,
    })) {
      assert.equal(text.includes(TEST_SK), false, `the secret appears in ${where}`);
    }
    assert.deepEqual(dump.stored?.key, { cryptoKey: true, extractable: false, type: 'secret', usages: ['sign'] });
    assert.equal(dump.exportError, 'InvalidAccessError');
    const cookies = await context.cookies();
    assert.equal(JSON.stringify(cookies).includes(TEST_SK), false);
  });

  it('deletes the connection through the page after a confirmation', async () => {
    await nav.getByRole('link', { name: 'VPN connections' }).click();
    await row(connectionId).getByRole('button', { name: 'Delete connection hq-to-branch' }).click();
    await row(connectionId).getByRole('button', { name: 'Confirm deleting connection hq-to-branch' }).click();
    await page.getByRole('status').filter({ hasText: 'Deleted connection hq-to-branch.' }).waitFor(WAIT);
    const left = (await server.huawei.call('GET', `/vpn-connection/${connectionId}`)).body?.vpn_connection?.status;
    assert.ok(left === undefined || left === 'PENDING_DELETE', `status after delete: ${left}`);
  });

  it('ran without a script error or a Content-Security-Policy violation', () => {
    assert.deepEqual(pageErrors, []);
  });
});
