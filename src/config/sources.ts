// Where a setting's value comes from (default < config file < environment < flag), how text from
// the environment or a flag becomes a typed value, and the one error message every bad value gets:
// the setting, where it came from, what is allowed, and what was given (unless secret).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Kind, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { SETTING_BY_KEY, SETTINGS, type Setting } from './schema.ts';

/** A configuration the process cannot start with; the message is meant for the operator as it is. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface Source {
  /** "environment variable SITEVPN_PORT", "flag --port", "config file /etc/sitevpn.json: key port". */
  label: string;
  value: unknown;
  /** Text to parse (environment, command line), not a JSON value (config file, options in code). */
  text?: boolean;
}

export type Layer = Map<string, Source>;

/** What a schema allows, in words: "an integer from 0 to 65535", "one of api, dataplane, all". */
export function allowed(schema: TSchema): string {
  if (schema[Kind] === 'Integer') return `an integer from ${schema.minimum} to ${schema.maximum}`;
  if (schema[Kind] === 'Union') return `one of ${(schema.anyOf as TSchema[]).map((s) => s.const).join(', ')}`;
  if (schema[Kind] === 'Array')
    return `a ${schema.minItems ? 'non-empty ' : ''}list of strings (comma-separated; a JSON array in the file)`;
  if (schema[Kind] === 'String' && schema.pattern === '^postgres(ql)?://') return 'a URL postgres://user:password@host:port/database';
  return 'a non-empty string';
}

export function invalid(setting: Setting, source: Source): ConfigError {
  const shown = setting.secret ? '' : `, got ${JSON.stringify(source.value)}`;
  return new ConfigError(`${source.label} must be ${allowed(setting.schema)}${shown}`);
}

/** Text from the environment or a flag as the setting's type; anything else is left for Check to refuse. */
function fromText(setting: Setting, raw: string): unknown {
  const kind = setting.schema[Kind];
  if (kind === 'Integer') return /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : raw;
  if (setting.list)
    return raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  return raw;
}

/** The typed, checked value of one source. */
export function checked(setting: Setting, source: Source): unknown {
  const value = source.text && typeof source.value === 'string' ? fromText(setting, source.value) : source.value;
  if (!Value.Check(setting.schema, value)) throw invalid(setting, source);
  return value;
}

export function envLayer(env: NodeJS.ProcessEnv): Layer {
  const layer: Layer = new Map();
  for (const s of SETTINGS) {
    const raw = s.env ? env[s.env] : undefined;
    // An empty variable counts as unset, as a shell's `FOO=` usually means.
    if (raw !== undefined && raw !== '') layer.set(s.key, { label: `environment variable ${s.env}`, value: raw, text: true });
  }
  return layer;
}

/** Flag values by setting key; strings (from commander) are parsed like the environment. */
export function flagLayer(values: Record<string, unknown>): Layer {
  const layer: Layer = new Map();
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    const setting = SETTING_BY_KEY.get(key);
    if (!setting) throw new ConfigError(`unknown option ${key}`);
    layer.set(key, { label: setting.flag ? `flag ${setting.flag}` : `option ${key}`, value, text: true });
  }
  return layer;
}

/** The JSON config file: every key must be a setting (a typo is an error, not a silent default). */
export function fileLayer(file: string): Layer {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read config file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`config file ${path} is not valid JSON: ${(err as Error).message}`);
  }
  if (!isObject(doc)) throw new ConfigError(`config file ${path} must hold a JSON object, got ${kindOf(doc)}`);
  const layer: Layer = new Map();
  const walk = (obj: Record<string, unknown>, prefix: string) => {
    for (const [k, v] of Object.entries(obj)) {
      const key = prefix + k;
      const label = `config file ${path}: key ${key}`;
      if (SETTING_BY_KEY.has(key)) {
        layer.set(key, { label, value: v });
      } else if (SETTINGS.some((s) => s.key.startsWith(`${key}.`))) {
        if (!isObject(v)) throw new ConfigError(`${label} must be an object, got ${kindOf(v)}`);
        walk(v, `${key}.`);
      } else {
        const siblings = SETTINGS.filter((s) => s.key.startsWith(prefix)).map((s) => s.key.slice(prefix.length).split('.')[0]);
        throw new ConfigError(
          `${label} is not a setting; allowed${prefix ? ` in ${prefix.slice(0, -1)}` : ''}: ${[...new Set(siblings)].join(', ')}`,
        );
      }
    }
  };
  walk(doc, '');
  return layer;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const kindOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : `a ${typeof v}`);
