// Mutations of a valid JSON request body, as compact specs (so a failing case prints short) that
// render to exact body bytes: drop a field, duplicate a key, retype a value, huge or hostile
// strings, deep nesting, numbers JSON.parse cannot keep, and byte-level damage to the text.
import fc from 'fast-check';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = (string | number)[];

/** A value spliced in as raw JSON text (which may be more than JSON.stringify can make). */
export type ValueSpec =
  | { json: Json }
  | { str: string }
  | { huge: number; ch: string }
  | { deep: number; open: '[' | '{"a":' }
  | { raw: string };

export type BodyOp =
  | { op: 'drop'; at: number }
  | { op: 'dup'; at: number; value: ValueSpec }
  | { op: 'replace'; at: number; value: ValueSpec }
  | { op: 'truncate'; at: number }
  | { op: 'byte'; at: number; byte: number }
  | { op: 'whole'; text: string };

const RAW_NUMBERS = [
  '1e400',
  '-1e400',
  '-0',
  '123456789012345678901234567890',
  '0.0000000000000000000001',
  '1.5',
  '-1',
  '0x10',
  'NaN',
  'Infinity',
  '01',
  '"1"',
  'true',
  '[]',
  '{}',
  'null',
];

const hostileStrings = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  'Abcdefgh\u0000xyz',
  '\uD800',
  '\uFEFF',
  '\u202Eevil',
  '../../etc/passwd',
  '%00',
  '%zz',
  '<x>&amp;</x>',
  '"}{',
  'a\nb\r\nc',
  '${jndi:x}',
  '198.51.100.1',
  '0.0.0.0',
  '255.255.255.255',
  '10.0.0.0/8',
  '169.254.0.0/30',
  'group14',
  'aes-256',
  'v2',
  '💥'.repeat(40),
  'ÿ'.repeat(65),
);

export const valueSpec: fc.Arbitrary<ValueSpec> = fc.oneof(
  { arbitrary: fc.jsonValue({ maxDepth: 2 }).map((json) => ({ json: json as Json })), weight: 3 },
  {
    arbitrary: fc
      .oneof(hostileStrings, fc.string({ unit: 'grapheme', maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 20 }))
      .map((str) => ({ str })),
    weight: 4,
  },
  { arbitrary: fc.record({ huge: fc.integer({ min: 200, max: 1_200_000 }), ch: fc.constantFrom('A', 'é', '€', '😀', '\\') }), weight: 1 },
  {
    arbitrary: fc.record({ deep: fc.integer({ min: 50, max: 100_000 }), open: fc.constantFrom('[' as const, '{"a":' as const) }),
    weight: 1,
  },
  { arbitrary: fc.constantFrom(...RAW_NUMBERS).map((raw) => ({ raw })), weight: 2 },
);

export const bodyOp: fc.Arbitrary<BodyOp> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('drop' as const), at: fc.nat() }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('dup' as const), at: fc.nat(), value: valueSpec }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('replace' as const), at: fc.nat(), value: valueSpec }), weight: 6 },
  { arbitrary: fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('byte' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }), weight: 1 },
  {
    arbitrary: fc.record({
      op: fc.constant('whole' as const),
      text: fc.constantFrom('', ' ', 'null', '[]', '{}', '"x"', '1', '\uFEFF{}', '{"a":1,}', 'Action=DescribeVpnConnections'),
    }),
    weight: 1,
  },
);

/** One to three mutations of a body. */
export const bodyOps = fc.array(bodyOp, { minLength: 1, maxLength: 3 });

export function renderSpec(v: ValueSpec): string {
  if ('json' in v) return JSON.stringify(v.json);
  if ('str' in v) return JSON.stringify(v.str);
  if ('huge' in v) return JSON.stringify(v.ch.repeat(v.huge));
  if ('deep' in v) return v.open.repeat(v.deep) + '1' + (v.open === '[' ? ']' : '}').repeat(v.deep);
  return v.raw;
}

/** A spliced-in fragment of JSON text. */
class Raw {
  constructor(readonly text: string) {}
}
const DUPS = Symbol('duplicates');
type Tree = Json | Raw | Tree[] | { [k: string]: Tree; [DUPS]?: [string, Raw][] };

function paths(v: Tree, at: Path = []): Path[] {
  const out: Path[] = [at];
  if (Array.isArray(v)) {
    for (const [i, c] of v.entries()) out.push(...paths(c, [...at, i]));
  } else if (v && typeof v === 'object' && !(v instanceof Raw))
    for (const k of Object.keys(v)) out.push(...paths((v as Record<string, Tree>)[k], [...at, k]));
  return out;
}

function clone(v: Tree): Tree {
  if (Array.isArray(v)) return v.map(clone);
  if (v && typeof v === 'object' && !(v instanceof Raw)) {
    const o: Record<string, Tree> & { [DUPS]?: [string, Raw][] } = {};
    for (const k of Object.keys(v)) o[k] = clone((v as Record<string, Tree>)[k]);
    const dups = (v as { [DUPS]?: [string, Raw][] })[DUPS];
    if (dups) o[DUPS] = [...dups];
    return o;
  }
  return v;
}

function serialize(v: Tree): string {
  if (v instanceof Raw) return v.text;
  if (Array.isArray(v)) return `[${v.map(serialize).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, Tree> & { [DUPS]?: [string, Raw][] };
    const parts = Object.keys(o).map((k) => `${JSON.stringify(k)}:${serialize(o[k])}`);
    for (const [k, raw] of o[DUPS] ?? []) parts.push(`${JSON.stringify(k)}:${raw.text}`);
    return `{${parts.join(',')}}`;
  }
  return JSON.stringify(v);
}

/** The body bytes a valid body becomes under ops, applied in order. */
export function mutateBody(valid: Json, ops: BodyOp[]): Buffer {
  let tree: Tree = clone(valid as Tree);
  let bytes: Buffer | undefined;
  for (const o of ops) {
    if (bytes !== undefined || o.op === 'truncate' || o.op === 'byte' || o.op === 'whole') {
      bytes ??= Buffer.from(serialize(tree));
      if (o.op === 'truncate') bytes = bytes.subarray(0, o.at % (bytes.length + 1));
      else if (o.op === 'byte')
        bytes = Buffer.concat([
          bytes.subarray(0, o.at % (bytes.length + 1)),
          Buffer.from([o.byte]),
          bytes.subarray(o.at % (bytes.length + 1)),
        ]);
      else if (o.op === 'whole') bytes = Buffer.from(o.text);
      continue;
    }
    const all = paths(tree);
    const path = all[o.at % all.length];
    if (path.length === 0) {
      if (o.op !== 'drop') tree = new Raw(renderSpec(o.value));
      continue;
    }
    const parent = path.slice(0, -1).reduce<Tree>((n, k) => (n as Record<string | number, Tree>)[k], tree) as Record<string, Tree> | Tree[];
    const key = path[path.length - 1];
    if (o.op === 'drop') {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key as string];
    } else if (o.op === 'replace') {
      (parent as Record<string | number, Tree>)[key] = new Raw(renderSpec(o.value));
    } else if (Array.isArray(parent)) {
      parent.splice(key as number, 0, new Raw(renderSpec(o.value)));
    } else {
      const p = parent as { [DUPS]?: [string, Raw][] };
      p[DUPS] = [...(p[DUPS] ?? []), [key as string, new Raw(renderSpec(o.value))]];
    }
  }
  return bytes ?? Buffer.from(serialize(tree));
}

/** Mutations of query pairs: drop, repeat (with another value), retype a value, add an unknown one. */
export type QueryOp =
  | { op: 'drop'; at: number }
  | { op: 'repeat'; at: number; value?: string }
  | { op: 'set'; at: number; value: string }
  | { op: 'add'; key: string; value: string };

const queryValue = fc.oneof(
  hostileStrings,
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom('0', '-1', '201', '1e3', '00001', '999999999999999999999', 'true', 'TRUE'),
);

export const queryOp: fc.Arbitrary<QueryOp> = fc.oneof(
  fc.record({ op: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('repeat' as const), at: fc.nat(), value: fc.option(queryValue, { nil: undefined }) }),
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: queryValue }),
  fc.record({
    op: fc.constant('add' as const),
    key: fc.oneof(fc.constantFrom('limit', 'marker', 'x', ''), fc.string({ maxLength: 10 })),
    value: queryValue,
  }),
);

export function mutateQuery(pairs: [string, string][], ops: QueryOp[]): [string, string][] {
  const out = pairs.map(([k, v]): [string, string] => [k, v]);
  for (const o of ops) {
    if (o.op === 'add') out.push([o.key, o.value]);
    else if (out.length === 0) continue;
    else if (o.op === 'drop') out.splice(o.at % out.length, 1);
    else if (o.op === 'repeat') {
      const [k, v] = out[o.at % out.length];
      out.push([k, o.value ?? v]);
    } else out[o.at % out.length] = [out[o.at % out.length][0], o.value];
  }
  return out;
}
