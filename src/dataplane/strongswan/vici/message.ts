// VICI message body: a flat sequence of elements describing a tree (sections, key/values, lists).
//
//   SECTION_START  01 | nlen:u8 | name            open a section in the current section
//   SECTION_END    02                             close the innermost open section
//   KEY_VALUE      03 | nlen:u8 | name | vlen:u16be | value
//   LIST_START     04 | nlen:u8 | name            open a list (lists do not nest)
//   LIST_ITEM      05 | vlen:u16be | value        only inside a list
//   LIST_END       06                             close the list
//
// e.g. `k = v, s { l = [a] }` is 03 01 'k' 00 01 'v' | 01 01 's' | 04 01 'l' 05 00 01 'a' 06 | 02.
// Names are strings of at most 255 bytes, values blobs of at most 65535 bytes; keys are unique
// within a section and order is significant, so a decoded section is a Map (insertion order).
import { ViciProtocolError } from './errors.ts';

export const ElementType = {
  SECTION_START: 1,
  SECTION_END: 2,
  KEY_VALUE: 3,
  LIST_START: 4,
  LIST_ITEM: 5,
  LIST_END: 6,
} as const;

export const MAX_NAME_BYTES = 0xff;
export const MAX_VALUE_BYTES = 0xffff;

/** A decoded value: UTF-8 text as a string, anything else (not valid UTF-8) as a Buffer. */
export type ViciScalar = string | Buffer;
export type ViciList = ViciScalar[];
export type ViciSection = Map<string, ViciValue>;
export type ViciValue = ViciScalar | ViciList | ViciSection;
/** A whole message is the implicit root section. */
export type ViciMessage = ViciSection;

/** What the encoder accepts: numbers become decimal strings, booleans `yes`/`no`, and
 *  `undefined`/`null` values are left out. Use a Map when key order must survive numeric keys. */
export type ViciInputScalar = string | number | bigint | boolean | Uint8Array;
export type ViciInputValue = ViciInputScalar | readonly ViciInputScalar[] | ViciInputSection | null | undefined;
export type ViciInputSection = ReadonlyMap<string, ViciInputValue> | { readonly [key: string]: ViciInputValue };

export interface DecodeOptions {
  /** 'auto' (default): valid UTF-8 values become strings, others Buffers. 'buffer': all Buffers. */
  values?: 'auto' | 'buffer';
}

// ---------------------------------------------------------------------------------- encoding

export function nameBytes(name: string, what: string): Buffer {
  const bytes = Buffer.from(name, 'utf8');
  if (bytes.length > MAX_NAME_BYTES) {
    throw new ViciProtocolError('key-too-long', `${what} name is ${bytes.length} bytes, more than ${MAX_NAME_BYTES}`);
  }
  return bytes;
}

function scalarBytes(value: ViciInputScalar, key: string): Buffer {
  let bytes: Buffer;
  if (typeof value === 'string') bytes = Buffer.from(value, 'utf8');
  else if (typeof value === 'boolean') bytes = Buffer.from(value ? 'yes' : 'no');
  else if (typeof value === 'bigint') bytes = Buffer.from(value.toString());
  else if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new ViciProtocolError('invalid-value', `value of ${key} is not a finite number`);
    }
    bytes = Buffer.from(String(value));
  } else if (value instanceof Uint8Array) {
    bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  } else {
    throw new ViciProtocolError('invalid-value', `value of ${key} is not a scalar`);
  }
  if (bytes.length > MAX_VALUE_BYTES) {
    throw new ViciProtocolError('value-too-long', `value of ${key} is ${bytes.length} bytes, more than ${MAX_VALUE_BYTES}`);
  }
  return bytes;
}

function entriesOf(section: ViciInputSection): Iterable<readonly [string, ViciInputValue]> {
  return section instanceof Map ? section : Object.entries(section);
}

function isScalar(value: unknown): value is ViciInputScalar {
  const t = typeof value;
  return t === 'string' || t === 'number' || t === 'bigint' || t === 'boolean' || value instanceof Uint8Array;
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

function encodeSection(section: ViciInputSection, out: Buffer[], depth: number): void {
  if (depth > 64) throw new ViciProtocolError('bad-nesting', 'sections nest deeper than 64');
  for (const [key, value] of entriesOf(section)) {
    if (value === undefined || value === null) continue;
    const name = nameBytes(key, 'key');
    if (isScalar(value)) {
      const v = scalarBytes(value, key);
      out.push(Buffer.from([ElementType.KEY_VALUE, name.length]), name, u16(v.length), v);
    } else if (Array.isArray(value)) {
      out.push(Buffer.from([ElementType.LIST_START, name.length]), name);
      for (const item of value as readonly unknown[]) {
        if (!isScalar(item)) {
          throw new ViciProtocolError('invalid-value', `list ${key} may hold only scalars`);
        }
        const v = scalarBytes(item, key);
        out.push(Buffer.from([ElementType.LIST_ITEM]), u16(v.length), v);
      }
      out.push(Buffer.from([ElementType.LIST_END]));
    } else if (typeof value === 'object') {
      out.push(Buffer.from([ElementType.SECTION_START, name.length]), name);
      encodeSection(value as ViciInputSection, out, depth + 1);
      out.push(Buffer.from([ElementType.SECTION_END]));
    } else {
      throw new ViciProtocolError('invalid-value', `value of ${key} has type ${typeof value}`);
    }
  }
}

/** Encodes a message body. Throws ViciProtocolError for names/values out of bounds. */
export function encodeMessage(message: ViciInputSection = {}): Buffer {
  const out: Buffer[] = [];
  encodeSection(message, out, 0);
  return Buffer.concat(out);
}

// ---------------------------------------------------------------------------------- decoding

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes a message body strictly: any violation of the format throws ViciProtocolError. */
export function decodeMessage(bytes: Uint8Array, options: DecodeOptions = {}): ViciMessage {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const asBuffers = options.values === 'buffer';
  const root: ViciMessage = new Map();
  const stack: ViciSection[] = [root];
  let list: ViciList | null = null;
  let pos = 0;

  const need = (n: number, at: number, what: string): void => {
    if (pos + n > buf.length) {
      throw new ViciProtocolError('truncated', `${what} needs ${n} bytes, ${buf.length - pos} left`, at);
    }
  };
  const readName = (at: number): string => {
    need(1, at, 'name length');
    const len = buf[pos++];
    need(len, at, 'name');
    const name = buf.toString('utf8', pos, pos + len);
    pos += len;
    return name;
  };
  const readValue = (at: number): ViciScalar => {
    need(2, at, 'value length');
    const len = buf.readUInt16BE(pos);
    pos += 2;
    need(len, at, 'value');
    const raw = Buffer.from(buf.subarray(pos, pos + len)); // copy: never alias the frame
    pos += len;
    if (asBuffers) return raw;
    try {
      return utf8.decode(raw);
    } catch {
      return raw;
    }
  };
  const put = (key: string, value: ViciValue, at: number): void => {
    const current = stack[stack.length - 1];
    if (current.has(key)) {
      throw new ViciProtocolError('duplicate-key', `key ${JSON.stringify(key)} appears twice`, at);
    }
    current.set(key, value);
  };
  const notInList = (at: number, what: string): void => {
    if (list) throw new ViciProtocolError('bad-nesting', `${what} inside a list`, at);
  };

  while (pos < buf.length) {
    const at = pos;
    const type = buf[pos++];
    switch (type) {
      case ElementType.SECTION_START: {
        notInList(at, 'SECTION_START');
        const section: ViciSection = new Map();
        put(readName(at), section, at);
        stack.push(section);
        break;
      }
      case ElementType.SECTION_END:
        notInList(at, 'SECTION_END');
        if (stack.length === 1) {
          throw new ViciProtocolError('bad-nesting', 'SECTION_END without an open section', at);
        }
        stack.pop();
        break;
      case ElementType.KEY_VALUE: {
        notInList(at, 'KEY_VALUE');
        const key = readName(at);
        put(key, readValue(at), at);
        break;
      }
      case ElementType.LIST_START: {
        notInList(at, 'LIST_START');
        const items: ViciList = [];
        put(readName(at), items, at);
        list = items;
        break;
      }
      case ElementType.LIST_ITEM:
        if (!list) throw new ViciProtocolError('bad-nesting', 'LIST_ITEM outside a list', at);
        list.push(readValue(at));
        break;
      case ElementType.LIST_END:
        if (!list) throw new ViciProtocolError('bad-nesting', 'LIST_END without an open list', at);
        list = null;
        break;
      default:
        throw new ViciProtocolError('unknown-element', `element type ${type}`, at);
    }
  }
  if (list) throw new ViciProtocolError('bad-nesting', 'list not closed at end of message', pos);
  if (stack.length > 1) {
    throw new ViciProtocolError('bad-nesting', `${stack.length - 1} section(s) not closed`, pos);
  }
  return root;
}

// ---------------------------------------------------------------------------------- reading

/** The value of `key` as a string (Buffers are read as UTF-8), or undefined if absent/not scalar. */
export function getString(section: ViciSection, key: string): string | undefined {
  const v = section.get(key);
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  return undefined;
}

/** The sub-section at `key`, or undefined. */
export function getSection(section: ViciSection, key: string): ViciSection | undefined {
  const v = section.get(key);
  return v instanceof Map ? v : undefined;
}

/** The list at `key` as strings, or undefined. */
export function getList(section: ViciSection, key: string): string[] | undefined {
  const v = section.get(key);
  if (!Array.isArray(v)) return undefined;
  return v.map((item) => (typeof item === 'string' ? item : item.toString('utf8')));
}

/** A JSON-friendly copy (sections as plain objects, binary as base64 `{ base64 }`). */
export function toPlain(section: ViciSection): Record<string, unknown> {
  const scalar = (v: ViciScalar): unknown => (typeof v === 'string' ? v : { base64: v.toString('base64') });
  const out: Record<string, unknown> = {};
  for (const [k, v] of section) {
    if (v instanceof Map) out[k] = toPlain(v);
    else if (Array.isArray(v)) out[k] = v.map(scalar);
    else out[k] = scalar(v);
  }
  return out;
}
