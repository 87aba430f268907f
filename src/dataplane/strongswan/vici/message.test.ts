import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ViciProtocolError } from './errors.ts';
import { decodeMessage, encodeMessage, getList, getSection, getString, toPlain, type ViciMessage } from './message.ts';

const ascii = (s: string) => [...Buffer.from(s)];
const kv = (k: string, v: number[]) => [3, k.length, ...ascii(k), v.length >> 8, v.length & 0xff, ...v];
const sec = (k: string) => [1, k.length, ...ascii(k)];
const list = (k: string) => [4, k.length, ...ascii(k)];
const item = (v: number[]) => [5, v.length >> 8, v.length & 0xff, ...v];

// The README's example: key1 = value1, section1 { sub-section { key2 = value2 }, list1 = [item1, item2] }
const README_EXAMPLE = Buffer.from([
  3, 4, 0x6b, 0x65, 0x79, 0x31, 0, 6, 0x76, 0x61, 0x6c, 0x75, 0x65, 0x31, 1, 8, 0x73, 0x65, 0x63, 0x74, 0x69, 0x6f, 0x6e, 0x31, 1, 11, 0x73,
  0x75, 0x62, 0x2d, 0x73, 0x65, 0x63, 0x74, 0x69, 0x6f, 0x6e, 3, 4, 0x6b, 0x65, 0x79, 0x32, 0, 6, 0x76, 0x61, 0x6c, 0x75, 0x65, 0x32, 2, 4,
  5, 0x6c, 0x69, 0x73, 0x74, 0x31, 5, 0, 5, 0x69, 0x74, 0x65, 0x6d, 0x31, 5, 0, 5, 0x69, 0x74, 0x65, 0x6d, 0x32, 6, 2,
]);

const BINARY = [0x00, 0xff, 0xfe, 0x80];
// A deeper fixture: nesting three levels, an empty section, an empty list, binary values.
const NESTED = Buffer.from([
  ...sec('conn'),
  ...kv('version', ascii('2')),
  ...sec('children'),
  ...sec('net'),
  ...list('local_ts'),
  ...item(ascii('10.0.0.0/24')),
  ...item(ascii('10.0.1.0/24')),
  6,
  ...list('empty'),
  6,
  2,
  2,
  ...sec('nothing'),
  2,
  ...kv('psk', BINARY),
  2,
  ...list('blobs'),
  ...item(BINARY),
  ...item(ascii('text')),
  6,
  ...kv('empty-value', []),
]);

function nestedModel(): ViciMessage {
  return new Map<string, any>([
    [
      'conn',
      new Map<string, any>([
        ['version', '2'],
        [
          'children',
          new Map([
            [
              'net',
              new Map<string, any>([
                ['local_ts', ['10.0.0.0/24', '10.0.1.0/24']],
                ['empty', []],
              ]),
            ],
          ]),
        ],
        ['nothing', new Map()],
        ['psk', Buffer.from(BINARY)],
      ]),
    ],
    ['blobs', [Buffer.from(BINARY), 'text']],
    ['empty-value', ''],
  ]);
}

function protocolError(code: string) {
  return (err: unknown) => err instanceof ViciProtocolError && err.code === code;
}

describe('message encoding', () => {
  it('encodes the README example to exactly its documented bytes', () => {
    const bytes = encodeMessage({
      key1: 'value1',
      section1: { 'sub-section': { key2: 'value2' }, list1: ['item1', 'item2'] },
    });
    assert.deepEqual(bytes, README_EXAMPLE);
  });

  it('decodes the README example into ordered sections and lists', () => {
    const m = decodeMessage(README_EXAMPLE);
    assert.deepEqual([...m.keys()], ['key1', 'section1']);
    assert.equal(getString(m, 'key1'), 'value1');
    const s1 = getSection(m, 'section1')!;
    assert.deepEqual([...s1.keys()], ['sub-section', 'list1']);
    assert.equal(getString(getSection(s1, 'sub-section')!, 'key2'), 'value2');
    assert.deepEqual(getList(s1, 'list1'), ['item1', 'item2']);
  });

  it('encodes nested sections, empty lists and binary values byte for byte', () => {
    assert.deepEqual(encodeMessage(nestedModel()), NESTED);
  });

  it('decodes nested sections, empty lists and binary values, keeping non-UTF-8 as Buffers', () => {
    assert.deepEqual(decodeMessage(NESTED), nestedModel());
  });

  it('decodes every value as a Buffer when asked to', () => {
    const m = decodeMessage(Buffer.from(kv('a', ascii('x'))), { values: 'buffer' });
    assert.deepEqual(m.get('a'), Buffer.from('x'));
  });

  it('round-trips the decoded fixture to the same bytes', () => {
    assert.deepEqual(encodeMessage(decodeMessage(NESTED)), NESTED);
  });

  it('keeps the order of numeric-looking keys when given a Map', () => {
    const bytes = encodeMessage(
      new Map([
        ['2', 'b'],
        ['1', 'a'],
        ['x', 'c'],
      ]),
    );
    assert.deepEqual(bytes, Buffer.from([...kv('2', ascii('b')), ...kv('1', ascii('a')), ...kv('x', ascii('c'))]));
    assert.deepEqual([...decodeMessage(bytes).keys()], ['2', '1', 'x']);
  });

  it('writes numbers as decimal strings, booleans as yes/no, and leaves out undefined and null', () => {
    const bytes = encodeMessage({ timeout: 5000, force: true, reauth: false, ike: undefined, child: null });
    assert.deepEqual(bytes, Buffer.from([...kv('timeout', ascii('5000')), ...kv('force', ascii('yes')), ...kv('reauth', ascii('no'))]));
  });

  it('encodes UTF-8 strings as their UTF-8 bytes and decodes them back to strings', () => {
    const bytes = encodeMessage({ id: 'größe' });
    assert.deepEqual(bytes, Buffer.from(kv('id', [...Buffer.from('größe')])));
    assert.equal(decodeMessage(bytes).get('id'), 'größe');
  });

  it('encodes an empty message as no bytes and decodes no bytes as an empty message', () => {
    assert.equal(encodeMessage({}).length, 0);
    assert.equal(decodeMessage(Buffer.alloc(0)).size, 0);
  });

  it('renders a decoded message as plain JSON-friendly data', () => {
    assert.deepEqual(toPlain(decodeMessage(Buffer.from([...kv('b', BINARY), ...list('l'), ...item(ascii('x')), 6]))), {
      b: { base64: Buffer.from(BINARY).toString('base64') },
      l: ['x'],
    });
  });
});

describe('message encoding refuses what the format cannot carry', () => {
  it('refuses a key longer than 255 bytes', () => {
    assert.throws(() => encodeMessage({ ['k'.repeat(256)]: 'v' }), protocolError('key-too-long'));
    assert.doesNotThrow(() => encodeMessage({ ['k'.repeat(255)]: 'v' }));
  });

  it('refuses a value longer than 65535 bytes, in a key/value or a list item', () => {
    assert.throws(() => encodeMessage({ k: 'v'.repeat(65536) }), protocolError('value-too-long'));
    assert.throws(() => encodeMessage({ l: [Buffer.alloc(65536)] }), protocolError('value-too-long'));
    assert.equal(encodeMessage({ k: 'v'.repeat(65535) }).length, 1 + 1 + 1 + 2 + 65535);
  });

  it('refuses lists holding sections or lists, and numbers that are not finite', () => {
    assert.throws(() => encodeMessage({ l: [{ a: '1' }] as never }), protocolError('invalid-value'));
    assert.throws(() => encodeMessage({ l: [['x']] as never }), protocolError('invalid-value'));
    assert.throws(() => encodeMessage({ n: Number.NaN }), protocolError('invalid-value'));
  });
});

describe('message decoding is strict', () => {
  const cases: Array<[string, number[], string]> = [
    ['a key/value whose value runs past the end', [3, 1, 0x6b, 0, 5, 0x61], 'truncated'],
    ['a key/value missing its value length', [3, 1, 0x6b, 0], 'truncated'],
    ['a name longer than the bytes left', [1, 9, 0x61], 'truncated'],
    ['an element with no name length', [4], 'truncated'],
    ['a list item cut short', [...list('l'), 5, 0, 3, 0x61], 'truncated'],
    ['a section end at the root', [2], 'bad-nesting'],
    ['a section never closed', [...sec('s'), ...kv('k', [0x61])], 'bad-nesting'],
    ['a list never closed', [...list('l'), ...item([0x61])], 'bad-nesting'],
    ['a list item outside a list', [...item([0x61])], 'bad-nesting'],
    ['a list end with no list open', [6], 'bad-nesting'],
    ['a key/value inside a list', [...list('l'), ...kv('k', [0x61]), 6], 'bad-nesting'],
    ['a section inside a list', [...list('l'), ...sec('s'), 2, 6], 'bad-nesting'],
    ['a list inside a list', [...list('l'), ...list('m'), 6, 6], 'bad-nesting'],
    ['a section end inside a list', [...sec('s'), ...list('l'), 2, 6], 'bad-nesting'],
    ['element type 0', [0], 'unknown-element'],
    ['element type 7', [...kv('k', [0x61]), 7], 'unknown-element'],
    ['the same key twice in a section', [...kv('k', [0x61]), ...kv('k', [0x62])], 'duplicate-key'],
    ['a section and a key with the same name', [...sec('k'), 2, ...kv('k', [0x61])], 'duplicate-key'],
  ];
  for (const [what, bytes, code] of cases) {
    it(`rejects ${what} with ${code}`, () => {
      assert.throws(() => decodeMessage(Buffer.from(bytes)), protocolError(code));
    });
  }

  it('reports the offset of the offending element', () => {
    const bytes = Buffer.from([...kv('k', [0x61]), 9]);
    assert.throws(
      () => decodeMessage(bytes),
      (err: unknown) => err instanceof ViciProtocolError && err.offset === 6,
    );
  });

  it('accepts the same key in different sections', () => {
    const m = decodeMessage(Buffer.from([...kv('k', [0x61]), ...sec('s'), ...kv('k', [0x62]), 2]));
    assert.equal(getString(getSection(m, 's')!, 'k'), 'b');
  });
});
