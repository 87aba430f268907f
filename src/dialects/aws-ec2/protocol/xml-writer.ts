/*
 * EC2 Query responses, written from shapes (one serializer for every action):
 *
 *   <?xml version="1.0" encoding="UTF-8"?>
 *   <DescribeVpnConnectionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
 *     <requestId>c0ffee00-...</requestId>
 *     <vpnConnectionSet>
 *       <item><vpnConnectionId>vpn-0123456789abcdef0</vpnConnectionId><state>available</state>
 *         <options><staticRoutesOnly>true</staticRoutesOnly><tunnelOptionSet><item>
 *           <phase1EncryptionAlgorithmSet><item><value>AES128</value></item></phase1EncryptionAlgorithmSet>
 *         </item></tunnelOptionSet></options>
 *         <vgwTelemetry><item><status>UP</status><lastStatusChange>2024-01-01T00:00:00.000Z</lastStatusChange></item></vgwTelemetry>
 *       </item>
 *     </vpnConnectionSet>
 *   </DescribeVpnConnectionsResponse>            (written without the whitespace shown here)
 *
 * Element names are the lowerCamel form of the value's keys; a list member named `Xs` becomes
 * `<xSet><item>..</item></xSet>`; shapes generated from EC2's model (generated/model.ts) name
 * every member explicitly with `named()`, so the rules only serve hand-made shapes. Booleans are `true`/`false`, timestamps ISO-8601 with
 * milliseconds, undefined/null members are omitted, an empty list is written as `<xSet/>`.
 */

export const EC2_XMLNS = 'http://ec2.amazonaws.com/doc/2016-11-15/';
const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';

// ---- shape DSL --------------------------------------------------------------------------------

interface ShapeBase {
  /** Element name override; otherwise derived from the member key in the parent struct. */
  readonly xmlName?: string;
}
export interface ScalarShape<K extends ScalarKind, T> extends ShapeBase {
  readonly kind: K;
  /** Type carrier only, never set. */
  readonly __value?: T;
}
export type ScalarKind = 'string' | 'integer' | 'double' | 'boolean' | 'timestamp';
export type TimestampValue = Date | number | string;
export type StringShape = ScalarShape<'string', string>;
export type IntegerShape = ScalarShape<'integer', number | bigint>;
export type DoubleShape = ScalarShape<'double', number>;
export type BooleanShape = ScalarShape<'boolean', boolean>;
export type TimestampShape = ScalarShape<'timestamp', TimestampValue>;
export type AnyScalarShape = StringShape | IntegerShape | DoubleShape | BooleanShape | TimestampShape;

export interface ListShape<M extends Shape = Shape> extends ShapeBase {
  readonly kind: 'list';
  readonly member: M;
  /** Element name of each entry, `item` in EC2. */
  readonly itemName: string;
}

export type Members = { readonly [key: string]: Shape };
interface CompiledField {
  readonly key: string;
  readonly element: string;
  readonly shape: Shape;
}
export interface StructShape<M extends Members = Members> extends ShapeBase {
  readonly kind: 'struct';
  readonly members: M;
  readonly fields: readonly CompiledField[];
}

export type Shape = AnyScalarShape | ListShape<any> | StructShape<any>;

/** The JS value a shape accepts (every struct member optional: undefined members are omitted). */
export type Infer<S> =
  S extends ScalarShape<any, infer T>
    ? T
    : S extends ListShape<infer M>
      ? ReadonlyArray<Infer<M>>
      : S extends StructShape<infer M>
        ? { [K in keyof M]?: Infer<M[K]> | null }
        : never;

export const str: StringShape = Object.freeze({ kind: 'string' });
export const int: IntegerShape = Object.freeze({ kind: 'integer' });
export const double: DoubleShape = Object.freeze({ kind: 'double' });
export const bool: BooleanShape = Object.freeze({ kind: 'boolean' });
export const timestamp: TimestampShape = Object.freeze({ kind: 'timestamp' });

/** A list; `itemName` is the element wrapping each entry (EC2: `item`). */
export function list<M extends Shape>(member: M, itemName = 'item'): ListShape<M> {
  return Object.freeze({ kind: 'list', member, itemName });
}

/** Give a member an explicit element name (for names no rule or quirk produces). */
export function named<S extends Shape>(xmlName: string, shape: S): S {
  return Object.freeze({ ...shape, xmlName });
}

/** A list of `<item><value>..</value></item>`, EC2's wrapper for scalar option lists. */
export function valueList<M extends AnyScalarShape>(member: M): ListShape<StructShape<{ Value: M }>> {
  return list(struct({ Value: member }));
}

export function struct<M extends Members>(members: M): StructShape<M> {
  const fields: CompiledField[] = [];
  for (const key of Object.keys(members)) {
    const shape = members[key];
    fields.push({ key, element: elementName(key, shape), shape });
  }
  return Object.freeze({ kind: 'struct', members, fields: Object.freeze(fields) });
}

// ---- naming -----------------------------------------------------------------------------------

export function lowerCamel(key: string): string {
  const c = key.charCodeAt(0);
  return c >= 65 && c <= 90 ? String.fromCharCode(c + 32) + key.slice(1) : key;
}

function elementName(key: string, shape: Shape): string {
  if (shape.xmlName !== undefined) return shape.xmlName;
  if (shape.kind !== 'list') return lowerCamel(key);
  const base = lowerCamel(key);
  if (base.endsWith('Set')) return base;
  return (base.endsWith('s') ? base.slice(0, -1) : base) + 'Set';
}

// ---- escaping ---------------------------------------------------------------------------------

// Characters that need work: markup, CR (kept through XML line-end normalisation), characters
// XML 1.0 cannot carry at all (C0 controls other than TAB/LF, U+FFFE/U+FFFF, lone surrogates).
const NEEDS_ESCAPE = /[&<>\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

const UNREPRESENTABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;
export function escapeXml(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  if (UNREPRESENTABLE.test(text)) return escapeSlowly(text);
  return escapeMarkup(text);
}

function escapeMarkup(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#xD;');
}

function escapeSlowly(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 38) out += '&amp;';
    else if (c === 60) out += '&lt;';
    else if (c === 62) out += '&gt;';
    else if (c === 13) out += '&#xD;';
    else if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += text[i] + text[i + 1];
        i++;
      } else out += '\uFFFD';
    } else if ((c < 32 && c !== 9 && c !== 10) || (c >= 0xdc00 && c <= 0xdfff) || c === 0xfffe || c === 0xffff) {
      out += '\uFFFD';
    } else out += text[i];
  }
  return out;
}

// ---- writing ----------------------------------------------------------------------------------

export class XmlWriterError extends Error {
  override readonly name = 'XmlWriterError';
}

/** The full success body of `<Action>Response`. */
export function renderEc2Response<S extends StructShape<any>>(
  action: string,
  shape: S,
  value: Infer<S> | undefined,
  requestId: string,
  memo?: XmlMemo,
  sink?: Buffer[],
): string {
  const root = action + 'Response';
  return (
    XML_DECL +
    '<' +
    root +
    ' xmlns="' +
    EC2_XMLNS +
    '"><requestId>' +
    escapeXml(requestId) +
    '</requestId>' +
    (value == null ? '' : writeFields(shape, value as Record<string, unknown>, root, memo, sink)) +
    '</' +
    root +
    '>'
  );
}

/**
 * The same body as bytes, with the kept parts copied from their own cached UTF-8 bytes: a long
 * answer (DescribeVpnConnections of many connections) is then neither one huge concatenated string
 * to measure and encode again on every request, nor built anew. Kept parts stand in the text as
 * NUL + index + NUL, which no written XML can contain (escapeXml replaces NUL).
 */
export function renderEc2ResponseBytes<S extends StructShape<any>>(
  action: string,
  shape: S,
  value: Infer<S> | undefined,
  requestId: string,
  memo: XmlMemo,
): Buffer {
  const parts: Buffer[] = [];
  const text = renderEc2Response(action, shape, value, requestId, memo, parts);
  if (parts.length === 0) return Buffer.from(text, 'utf8');
  const pieces = text.split('\0');
  const out: Buffer[] = new Array(pieces.length);
  for (let i = 0; i < pieces.length; i++) out[i] = i % 2 === 0 ? Buffer.from(pieces[i]!, 'utf8') : parts[Number(pieces[i])]!;
  return Buffer.concat(out);
}

interface KeptXml {
  readonly element: string;
  readonly shape: Shape;
  readonly xml: string;
  /** Its UTF-8 bytes, made on the first use in renderEc2ResponseBytes. */
  bytes?: Buffer;
}

/**
 * The XML of values that will be written again unchanged (a rendering kept in Ec2Caches), owned
 * by whoever keeps those values. Entries are weak: one lives exactly as long as its value is kept,
 * so the owner's bound is this memo's bound, and a new revision (a new value) is a new entry.
 */
export class XmlMemo {
  readonly #kept = new WeakMap<object, KeptXml | null>();

  /** Marks `value` as one to remember once written. */
  keep<T extends object>(value: T): T {
    if (!this.#kept.has(value)) this.#kept.set(value, null);
    return value;
  }

  /** undefined: not kept; null: kept, not written yet. */
  get(value: object): KeptXml | null | undefined {
    return this.#kept.get(value);
  }

  set(value: object, written: KeptXml): void {
    this.#kept.set(value, written);
  }
}

/** Serialize one value as `<element>..</element>` (exported for tests and nested documents). */
export function writeElement(element: string, shape: Shape, value: unknown, path = element, memo?: XmlMemo, sink?: Buffer[]): string {
  switch (shape.kind) {
    case 'struct': {
      const kept = memo !== undefined && typeof value === 'object' && value !== null ? memo.get(value) : undefined;
      if (kept === undefined) {
        return '<' + element + '>' + writeFields(shape, value as Record<string, unknown>, path, memo, sink) + '</' + element + '>';
      }
      let written = kept;
      if (!written || written.element !== element || written.shape !== shape) {
        // Written as plain text (no sink): the kept XML must stand alone.
        const xml = '<' + element + '>' + writeFields(shape, value as Record<string, unknown>, path, memo) + '</' + element + '>';
        written = { element, shape, xml };
        memo!.set(value as object, written);
      }
      if (sink === undefined) return written.xml;
      written.bytes ??= Buffer.from(written.xml, 'utf8');
      sink.push(written.bytes);
      return '\0' + (sink.length - 1) + '\0';
    }
    case 'list': {
      if (!Array.isArray(value)) throw new XmlWriterError(`${path}: expected an array`);
      if (value.length === 0) return '<' + element + '/>';
      let out = '<' + element + '>';
      const item = shape.itemName;
      for (let i = 0; i < value.length; i++) {
        const entry = value[i];
        if (entry == null) continue;
        out += writeElement(item, shape.member, entry, path + '[' + i + ']', memo, sink);
      }
      return out + '</' + element + '>';
    }
    default:
      return '<' + element + '>' + scalarText(shape.kind, value, path) + '</' + element + '>';
  }
}

function writeFields(shape: StructShape<any>, value: Record<string, unknown>, path: string, memo?: XmlMemo, sink?: Buffer[]): string {
  if (typeof value !== 'object' || Array.isArray(value)) throw new XmlWriterError(`${path}: expected an object`);
  let out = '';
  const fields = shape.fields;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    const v = value[f.key];
    if (v == null) continue;
    out += writeElement(f.element, f.shape, v, path + '.' + f.key, memo, sink);
  }
  return out;
}

function scalarText(kind: ScalarKind, value: unknown, path: string): string {
  switch (kind) {
    case 'string':
      if (typeof value !== 'string') throw new XmlWriterError(`${path}: expected a string`);
      return escapeXml(value);
    case 'integer':
      if (typeof value === 'bigint') return value.toString();
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
        throw new XmlWriterError(`${path}: expected an integer`);
      }
      return String(value);
    case 'double':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw new XmlWriterError(`${path}: expected a number`);
      return String(value);
    case 'boolean':
      if (typeof value !== 'boolean') throw new XmlWriterError(`${path}: expected a boolean`);
      return value ? 'true' : 'false';
    case 'timestamp':
      return isoTimestamp(value, path);
  }
}

/** `2024-01-01T00:00:00.000Z`: what EC2 writes for every timestamp. */
export function isoTimestamp(value: unknown, path = 'timestamp'): string {
  const d = value instanceof Date ? value : typeof value === 'number' || typeof value === 'string' ? new Date(value) : undefined;
  if (d === undefined || Number.isNaN(d.getTime())) throw new XmlWriterError(`${path}: expected a timestamp`);
  return d.toISOString();
}
