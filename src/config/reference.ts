// docs/CONFIGURATION.md as the schema says it: written by `npm run gen:config-docs`
// (scripts/gen-config-docs.ts) and compared with the committed file by reference.test.ts.
import { Kind, type TSchema } from '@sinclair/typebox';
import { SETTINGS, type Setting } from './schema.ts';

function typeOf(schema: TSchema): string {
  if (schema[Kind] === 'Integer') return `integer ${schema.minimum}–${schema.maximum}`;
  if (schema[Kind] === 'Union') return (schema.anyOf as TSchema[]).map((s) => `\`${s.const}\``).join(' \\| ');
  if (schema[Kind] === 'Array') return schema.minItems ? 'list of strings, not empty' : 'list of strings';
  if (schema.pattern === '^postgres(ql)?://') return 'URL `postgres://…`';
  return 'string';
}

function defaultOf(s: Setting): string {
  if (s.defaultText) return s.defaultText;
  const d = s.schema.default;
  if (d === undefined) return '(none)';
  if (Array.isArray(d)) return d.length ? `\`${d.join(',')}\`` : '(none)';
  return `\`${d}\``;
}

const cell = (text: string | undefined) => (text ? `\`${text}\`` : '');
const escapeCell = (text: string) => text.replace(/\|/g, '\\|');

export function configurationReference(): string {
  const rows = SETTINGS.map(
    (s) =>
      `| ${cell(s.key)} | ${cell(s.env)} | ${s.flag ? `\`${s.globalFlag ? 'sitevpn' : 'serve'} ${s.flag}\`` : ''} | ${typeOf(s.schema)} | ${defaultOf(s)} | ${escapeCell(String(s.schema.description))}${s.secret ? ' (secret: never echoed in an error)' : ''} |`,
  );
  return `<!-- Generated from src/config/schema.ts by \`npm run gen:config-docs\`; do not edit by hand. -->
# Configuration reference

\`sitevpn serve\` (and \`sitevpn credentials\`, \`sitevpn secrets\`, which open the same store) read
each setting from, in increasing precedence:

1. its default (below);
2. an optional **config file**: \`serve --config <file>\`, or the file named by
   \`SITEVPN_SERVER_CONFIG\` (not \`SITEVPN_CONFIG\`, which names the client CLI's own file of
   endpoint and keys);
3. its **environment variable** \`SITEVPN_*\` (an empty variable counts as unset);
4. its **flag** of \`sitevpn serve\`, where it has one.

The config file is JSON (no extra dependency): one object whose keys are the settings' file keys,
a dot meaning a nested object, so \`http.headersTimeoutMs\` is written
\`{"http": {"headersTimeoutMs": 5000}}\`. Values have their JSON types (numbers unquoted, lists as
arrays); in the environment and in flags, lists are comma-separated. A key that is not a setting is
an error, so a typo never falls back to a default silently. Relative paths are taken from the
working directory, wherever they are written. An example:

\`\`\`json
{
  "host": "0.0.0.0",
  "port": 8443,
  "tls": { "certFile": "/etc/sitevpn/cert.pem", "keyFile": "/etc/sitevpn/key.pem" },
  "quotas": { "connections": 200 },
  "http": { "headersTimeoutMs": 5000, "maxConnections": 4096 }
}
\`\`\`

Every bad value stops the start with exit code 2 and one line naming the setting, where its value
came from and what is allowed, for example:

\`\`\`
sitevpn: environment variable SITEVPN_QUOTA_VPN_CONNECTIONS must be an integer from 1 to 1000000, got "abc"
sitevpn: config file /etc/sitevpn/sitevpn.json: key quotas.conections is not a setting; allowed in quotas: gateways, customerGateways, connections
\`\`\`

Secrets (the database URL, master keys, the bootstrap secret key) are never repeated in such a
message. Keep them out of a world-readable config file; the environment (a systemd
\`EnvironmentFile\` with mode 0600) or the master key file are the usual places.

Beyond single values, three rules tie settings together: \`deletion.deletingSeconds\` at most
\`deletion.retentionSeconds\`; \`http.headersTimeoutMs\` at most \`http.requestTimeoutMs\`; TLS needs
both \`tls.certFile\` and \`tls.keyFile\` or neither.

## Settings

| file key | environment | flag | type | default | meaning |
|---|---|---|---|---|---|
${rows.join('\n')}

\`--data-dir\` is a flag of \`sitevpn\` itself (before the command), so it also applies to
\`credentials\` and \`secrets\`.
`;
}
