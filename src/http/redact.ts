// What may reach a log line: URLs, query strings and bodies with every secret-bearing parameter
// replaced by [REDACTED]. Secrets are recognised by parameter name, whatever their position
// (`Options.TunnelOptions.1.PreSharedKey`, `vpn_connection.psk`, `X-Amz-Signature`), because their
// values cannot be recognised.

export const REDACTED = '[REDACTED]';

/** Last segments of parameter names that carry a secret, lower case. */
const SECRET_NAMES = new Set([
  'presharedkey',
  'psk',
  'x-amz-signature',
  'x-amz-credential',
  'x-amz-security-token',
  'signature',
  'secretaccesskey',
  'secret_access_key',
  'secret',
  'password',
  'authorization',
  'pre_shared_key',
]);

/** True for a parameter or field name that carries a secret, in any position of a dotted name. */
export function isSecretName(name: string): boolean {
  const last = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
  return SECRET_NAMES.has(last) || last.includes('presharedkey') || last.endsWith('psk');
}

function decodeName(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}

/** A raw query string (or form body) with the values of secret parameters redacted. */
export function redactQuery(rawQuery: string): string {
  if (rawQuery === '') return rawQuery;
  return rawQuery
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      return isSecretName(decodeName(name)) ? `${name}=${REDACTED}` : pair;
    })
    .join('&');
}

/** A request URL (path and query) fit for a log line. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : `${url.slice(0, q)}?${redactQuery(url.slice(q + 1))}`;
}

function redactJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactJson);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = isSecretName(k) ? REDACTED : redactJson(v);
  return out;
}

/**
 * A request body fit for a log line: JSON with secret fields redacted, a form body like a query
 * string, anything else (or JSON that does not parse, which could hide a secret anywhere) by its
 * size only.
 */
export function redactBody(body: Buffer, contentType: string | undefined): unknown {
  if (body.length === 0) return undefined;
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') return redactQuery(body.toString('utf8'));
  if (type === 'application/json' || type.endsWith('+json')) {
    try {
      return redactJson(JSON.parse(body.toString('utf8')));
    } catch {
      // fall through: an unparsable body is logged by size only
    }
  }
  return { bytes: body.length };
}

const NAME_PATTERN =
  '[\\w.%-]*?(?:PreSharedKey|psk|X-Amz-Signature|X-Amz-Credential|X-Amz-Security-Token|Signature|SecretAccessKey|secret_access_key|password)';
const ASSIGNMENT = new RegExp(`(${NAME_PATTERN}\\s*=\\s*)[^&\\s,;"'<>]*`, 'gi');
const JSON_FIELD = new RegExp(`("${NAME_PATTERN}"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'gi');

/**
 * Free text (an error message or stack) with anything that looks like `name=value` or
 * `"name": "value"` for a secret name redacted: the last net under error lines, whose text
 * can quote a request.
 */
export function scrubText(text: string): string {
  return text.replace(ASSIGNMENT, `$1${REDACTED}`).replace(JSON_FIELD, `$1"${REDACTED}"`);
}
