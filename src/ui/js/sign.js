// Huawei's AK/SK scheme (SDK-HMAC-SHA256) in the browser, the same canonical request as the
// server's one canonicalizer (src/dialects/shared/aksk-canonical.ts, which the verifier and the
// CLI's signer share). This copy stays separate on purpose: it runs in the browser on WebCrypto,
// where that Node module (node:crypto, Buffer) cannot load.
//   canonical = METHOD \n path (escaped, '/' kept, ending in '/') \n sorted escaped query \n
//               host:<host>\n x-sdk-date:<date>\n \n host;x-sdk-date \n hex sha256(body)
//   signature = hex HMAC-SHA256(secret, "SDK-HMAC-SHA256\n" date "\n" hex sha256(canonical))
// The secret only ever exists as a non-extractable CryptoKey: the page can sign with it but
// nothing (not even this code) can read it back.

const encoder = new TextEncoder();
const UNRESERVED = /[A-Za-z0-9\-._~]/;
// Escaped twice in a path, as the Huawei SDK's signer does.
const TWICE_IN_PATH = '\t\n\r "\'<>^`{|}';

function hex(buffer) {
  return [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export async function sha256Hex(text) {
  return hex(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
}

function uriEscape(s, path) {
  let out = '';
  for (const byte of encoder.encode(s)) {
    const c = String.fromCharCode(byte);
    const h = byte.toString(16).toUpperCase().padStart(2, '0');
    if (UNRESERVED.test(c) || (path && c === '/')) out += c;
    else if (path && byte < 128 && TWICE_IN_PATH.includes(c)) out += '%25' + h;
    else out += '%' + h;
  }
  return out;
}

function canonicalQuery(raw) {
  const decode = (s) => decodeURIComponent(s.replaceAll('+', ' '));
  const pairs = raw
    .split('&')
    .filter((p) => p.length > 0)
    .map((p) => {
      const eq = p.indexOf('=');
      return eq < 0 ? [decode(p), ''] : [decode(p.slice(0, eq)), decode(p.slice(eq + 1))];
    });
  pairs.sort(([ak, av], [bk, bv]) => (ak !== bk ? (ak < bk ? -1 : 1) : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([k, v]) => `${uriEscape(k, false)}=${uriEscape(v, false)}`).join('&');
}

/** "20260101T000000Z" */
export function sdkDate(ms) {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** Turns the secret into a signing key that cannot be exported; the string is not kept. */
export function importSecret(secret) {
  return crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
}

/** The canonical request for a URL as fetch will send it (path and query in their encoded form). */
export async function canonicalRequest(method, url, date, body) {
  const u = new URL(url);
  let path = uriEscape(u.pathname, true);
  if (!path.endsWith('/')) path += '/';
  return [
    method.toUpperCase(),
    path,
    canonicalQuery(u.search.slice(1)),
    `host:${u.host}\nx-sdk-date:${date}\n`,
    'host;x-sdk-date',
    await sha256Hex(body ?? ''),
  ].join('\n');
}

/** The headers that sign one request: X-Sdk-Date and Authorization. */
export async function signRequest({ method, url, body, accessKeyId, key, now = Date.now() }) {
  const date = sdkDate(now);
  const canonical = await canonicalRequest(method, url, date, body);
  const toSign = `SDK-HMAC-SHA256\n${date}\n${await sha256Hex(canonical)}`;
  const signature = hex(await crypto.subtle.sign('HMAC', key, encoder.encode(toSign)));
  return {
    'X-Sdk-Date': date,
    Authorization: `SDK-HMAC-SHA256 Access=${accessKeyId}, SignedHeaders=host;x-sdk-date, Signature=${signature}`,
  };
}
