/*
 * Reads a request's dotted Query pairs through its model shape (model-input.ts):
 *
 *   TagSpecification.1.ResourceType=vpn-connection      { TagSpecifications: [{ ResourceType: 'vpn-connection',
 *   TagSpecification.1.Tag.2.Key=b                          Tags: [{ Key: 'a' }, { Key: 'b' }] }],  (numeric order)
 *   TagSpecification.1.Tag.1.Key=a                          Options: { StaticRoutesOnly: true } }
 *   Options.StaticRoutesOnly=true
 *
 * The faults are checked in this order, each answering the first offender in request order:
 * a pair the model does not know (UnknownParameter), a value of the wrong type
 * (InvalidParameterValue), then a required member left out (MissingParameter).
 */
import type { InMember, InputOf, InShape, InStruct } from './model-input.ts';
import { invalidValue, missingParameter, QueryParseError } from './query-errors.ts';

interface Node {
  value?: string;
  children?: Map<string, Node>;
}

export interface ModelParseOptions {
  /** EC2's own answer for a missing member, by its dotted Query name, where EC2 words it otherwise. */
  missing?: Readonly<Record<string, QueryParseError>>;
}

/** A list index: 1-based, no leading zero. */
const INDEX = /^[1-9][0-9]{0,5}$/;
const INT = /^-?[0-9]{1,16}$/;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/;

export const unknownParameter = (name: string) => new QueryParseError('UnknownParameter', `The parameter ${name} is not recognized`);

const entries = new WeakMap<InStruct, Array<[string, InMember]>>();
/** A structure's members as pairs, computed once per shape. */
function entriesOf(shape: InStruct): Array<[string, InMember]> {
  let e = entries.get(shape);
  if (e === undefined) entries.set(shape, (e = Object.entries(shape.members)));
  return e;
}

class Walk {
  readonly consumed = new Set<string>();
  typeError?: { key: string; error: QueryParseError };
  missing: string[] = [];

  constructor(private readonly order: Map<string, number>) {}

  struct(node: Node, shape: InStruct, prefix: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, member] of entriesOf(shape)) {
      const child = node.children?.get(member.query);
      // Absent members cost nothing but their default (most of a large shape is absent).
      const v =
        child === undefined ? (member.shape.kind === 'list' ? [] : undefined) : this.value(child, member.shape, prefix + member.query);
      if (v !== undefined) out[key] = v;
      if (member.required && (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)))
        this.missing.push(prefix + member.query);
    }
    return out;
  }

  value(node: Node | undefined, shape: InShape, name: string): unknown {
    if (shape.kind === 'list') return node === undefined ? [] : this.list(node, shape.member, name);
    if (node === undefined) return undefined;
    if (shape.kind === 'struct') return node.children === undefined ? undefined : this.struct(node, shape, name + '.');
    if (node.value === undefined) return undefined;
    this.consumed.add(name);
    return this.scalar(shape.kind, node.value, name);
  }

  private list(node: Node, member: InShape, name: string): unknown[] {
    const items: Array<[number, Node]> = [];
    for (const [seg, n] of node.children ?? []) if (INDEX.test(seg)) items.push([Number(seg), n]);
    items.sort((a, b) => a[0] - b[0]);
    const out: unknown[] = [];
    for (const [i, n] of items) {
      const v = this.value(n, member, `${name}.${i}`);
      if (v !== undefined) out.push(v);
    }
    return out;
  }

  private scalar(kind: string, v: string, name: string): unknown {
    switch (kind) {
      case 'integer': {
        const n = INT.test(v) ? Number(v) : NaN;
        if (Number.isSafeInteger(n)) return n;
        return this.fault(name, invalidValue(name, v, 'Expected an integer.'));
      }
      case 'boolean': {
        const l = v.toLowerCase();
        if (l === 'true' || l === 'false') return l === 'true';
        return this.fault(name, invalidValue(name, v, 'Expected a boolean (true or false).'));
      }
      case 'timestamp': {
        const t = ISO_8601.test(v) ? new Date(v) : undefined;
        if (t !== undefined && !Number.isNaN(t.getTime())) return t;
        return this.fault(name, invalidValue(name, v, 'Expected an ISO 8601 timestamp.'));
      }
      case 'blob':
        return Buffer.from(v, 'base64');
      default:
        return v;
    }
  }

  /** Keeps the type fault of the pair sent first. */
  private fault(key: string, error: QueryParseError): undefined {
    if (this.typeError === undefined || this.order.get(key)! < this.order.get(this.typeError.key)!) this.typeError = { key, error };
    return undefined;
  }
}

function tree(params: ReadonlyMap<string, string>): Node {
  const root: Node = {};
  for (const [key, value] of params) {
    let n = root;
    for (const seg of key.split('.')) {
      if (seg === '') throw new QueryParseError('MalformedQueryString', `The parameter name ${key} is malformed.`);
      n.children ??= new Map();
      let c = n.children.get(seg);
      if (c === undefined) n.children.set(seg, (c = {}));
      n = c;
    }
    n.value = value;
  }
  return root;
}

/** The typed request, or the QueryParseError EC2 answers for the first fault (see above). */
export function parseModelInput<S extends InStruct>(
  params: ReadonlyMap<string, string>,
  shape: S,
  opts: ModelParseOptions = {},
): InputOf<S> {
  const order = new Map<string, number>();
  for (const k of params.keys()) order.set(k, order.size);
  const walk = new Walk(order);
  const out = walk.struct(tree(params), shape, '');
  for (const k of params.keys()) if (!walk.consumed.has(k)) throw unknownParameter(k);
  if (walk.typeError) throw walk.typeError.error;
  const missing = walk.missing[0];
  if (missing !== undefined) throw opts.missing?.[missing] ?? missingParameter(missing);
  return out as InputOf<S>;
}
