/*
 * Typed reading of the dotted EC2 Query names, which form a tree:
 *
 *   Filter.1.Name=state                  getFilters()           -> [{ name: 'state', values: ['available'] }]
 *   Filter.1.Value.1=available
 *   VpnConnectionId.1=vpn-a               getList('VpnConnectionId')  -> ['vpn-a', 'vpn-b'] (numeric order)
 *   VpnConnectionId.2=vpn-b
 *   Options.TunnelOptions.1.IKEVersion.1.Value=ikev2
 *                                         getStruct('Options')!.getStructList('TunnelOptions')[0]
 *                                           .getValueList('IKEVersion')  -> ['ikev2']
 */
import { QueryParseError, invalidValue, missingParameter } from './query-errors.ts';

interface Node {
  value?: string;
  children?: Map<string, Node>;
}

const INDEX = /^[1-9][0-9]{0,5}$/;

/**
 * Reads typed values out of the dotted tree, below an optional prefix. Every value read is
 * remembered, so `unreadParameters()` tells the dialect what the action did not understand.
 */
export class QueryReader {
  private constructor(
    private readonly node: Node,
    private readonly prefix: string,
    private readonly params: Map<string, string>,
    private readonly consumed: Set<string>,
  ) {}

  static from(params: Map<string, string>): QueryReader {
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
    return new QueryReader(root, '', params, new Set());
  }

  /** Dotted wire name of `name` under this reader. */
  nameOf(name: string): string {
    return this.prefix + name;
  }

  private find(name: string): Node | undefined {
    let n: Node | undefined = this.node;
    let start = 0;
    while (n !== undefined) {
      const dot = name.indexOf('.', start);
      n = n.children?.get(dot < 0 ? name.slice(start) : name.slice(start, dot));
      if (dot < 0) return n;
      start = dot + 1;
    }
    return undefined;
  }

  private child(name: string, node: Node): QueryReader {
    return new QueryReader(node, this.prefix + name + '.', this.params, this.consumed);
  }

  /** Numbered children `name.1`, `name.2`, ... in numeric order. */
  private indexed(name: string): Array<[string, Node]> {
    const kids = this.find(name)?.children;
    if (kids === undefined) return [];
    const out: Array<[string, Node]> = [];
    for (const [seg, n] of kids) if (INDEX.test(seg)) out.push([seg, n]);
    return out.sort((a, b) => Number(a[0]) - Number(b[0]));
  }

  has(name: string): boolean {
    return this.find(name) !== undefined;
  }

  getString(name: string): string | undefined {
    const v = this.find(name)?.value;
    if (v !== undefined) this.consumed.add(this.prefix + name);
    return v;
  }

  requireString(name: string): string {
    const v = this.getString(name);
    if (v === undefined || v === '') throw missingParameter(this.nameOf(name));
    return v;
  }

  getBoolean(name: string): boolean | undefined {
    const v = this.getString(name);
    if (v === undefined) return undefined;
    const l = v.toLowerCase();
    if (l === 'true') return true;
    if (l === 'false') return false;
    throw invalidValue(this.nameOf(name), v, 'Expected a boolean (true or false).');
  }

  getInt(name: string, range: { min?: number; max?: number } = {}): number | undefined {
    const v = this.getString(name);
    return v === undefined ? undefined : this.toInt(this.nameOf(name), v, range);
  }

  getEnum<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    const v = this.getString(name);
    if (v === undefined) return undefined;
    if ((allowed as readonly string[]).includes(v)) return v as T;
    throw invalidValue(this.nameOf(name), v, `Valid values: ${allowed.join(', ')}.`);
  }

  /** `name.1`, `name.2`, ... as strings. */
  getList(name: string): string[] {
    const out: string[] = [];
    for (const [seg, n] of this.indexed(name)) {
      if (n.value === undefined) continue;
      this.consumed.add(this.prefix + name + '.' + seg);
      out.push(n.value);
    }
    return out;
  }

  /** `name.N.Value`, the wrapper EC2 uses for algorithm, DH group and IKE version lists. */
  getValueList(name: string): string[] {
    const out: string[] = [];
    for (const [seg, n] of this.indexed(name)) {
      const v = n.children?.get('Value')?.value;
      if (v === undefined) continue;
      this.consumed.add(this.prefix + name + '.' + seg + '.Value');
      out.push(v);
    }
    return out;
  }

  getIntValueList(name: string, range: { min?: number; max?: number } = {}): number[] {
    return this.getValueList(name).map((v, i) => this.toInt(`${this.nameOf(name)}.${i + 1}.Value`, v, range));
  }

  /** Sub-readers for `name.1.*`, `name.2.*`, ... */
  getStructList(name: string): QueryReader[] {
    return this.indexed(name).map(([seg, n]) => this.child(name + '.' + seg, n));
  }

  /** Sub-reader for `name.*`, undefined when nothing under it was sent. */
  getStruct(name: string): QueryReader | undefined {
    const n = this.find(name);
    return n?.children === undefined ? undefined : this.child(name, n);
  }

  /** `Filter.N.Name` + `Filter.N.Value.M`. */
  getFilters(name = 'Filter'): Array<{ name: string; values: string[] }> {
    return this.getStructList(name).map((f) => ({ name: f.requireString('Name'), values: f.getList('Value') }));
  }

  /** `Tag.N.Key` + `Tag.N.Value` (CreateTags, DeleteTags). */
  getTagList(name = 'Tag'): Array<{ key: string; value?: string }> {
    return this.getStructList(name).map((t) => ({ key: t.requireString('Key'), value: t.getString('Value') }));
  }

  /** `TagSpecification.N.ResourceType` + `TagSpecification.N.Tag.M.Key/Value`. */
  getTags(name = 'TagSpecification'): Array<{ resourceType?: string; tags: Array<{ key: string; value: string }> }> {
    return this.getStructList(name).map((s) => ({
      resourceType: s.getString('ResourceType'),
      tags: s.getTagList('Tag').map((t) => ({ key: t.key, value: t.value ?? '' })),
    }));
  }

  /** Pairs sent but never read, in request order (the dialect answers `UnknownParameter`). */
  unreadParameters(): string[] {
    const out: string[] = [];
    for (const k of this.params.keys()) if (!this.consumed.has(k)) out.push(k);
    return out;
  }

  private toInt(wireName: string, v: string, range: { min?: number; max?: number }): number {
    const n = /^-?[0-9]{1,16}$/.test(v) ? Number(v) : NaN;
    if (!Number.isSafeInteger(n)) throw invalidValue(wireName, v, 'Expected an integer.');
    if (range.min !== undefined && n < range.min) {
      throw invalidValue(wireName, v, `Expecting a value greater than or equal to ${range.min}.`);
    }
    if (range.max !== undefined && n > range.max) {
      throw invalidValue(wireName, v, `Expecting a value less than or equal to ${range.max}.`);
    }
    return n;
  }
}
