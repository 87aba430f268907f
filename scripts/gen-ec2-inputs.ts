/*
 * The request half of scripts/gen-ec2.ts: each action's input structure from the EC2 model in
 * @aws-sdk/client-ec2, as src/dialects/aws-ec2/protocol/model-input.ts shapes. A member's Query name
 * is its `ec2QueryName`, else its `xmlName` or member name with a capital first letter; the first
 * `n` members of a structure are its required ones (the schema's trailing count).
 */
type Schema = unknown;
type Traits = { xmlName?: string; ec2QueryName?: string } & Record<string, unknown>;

const deref = (s: Schema): Schema => (typeof s === 'function' ? deref((s as () => Schema)()) : s);

function member(ref: Schema): { schema: Schema; traits: Traits } {
  const r = deref(ref);
  if (Array.isArray(r) && r.length === 2 && !(typeof r[0] === 'number' && typeof r[1] === 'string')) {
    return { schema: deref(r[0]), traits: (r[1] ?? {}) as Traits };
  }
  return { schema: r, traits: {} };
}

const capital = (s: string) => s[0].toUpperCase() + s.slice(1);
/** 0 string, 1 number, 2 boolean, 4-7 timestamps, 21 blob (the SDK's schema codes). */
const SCALARS: Record<number, string> = {
  0: 'inp.str',
  1: 'inp.int',
  2: 'inp.bool',
  4: 'inp.time',
  5: 'inp.time',
  6: 'inp.time',
  7: 'inp.time',
  21: 'inp.blob',
};

export class InputEmitter {
  readonly lines: string[] = [];
  private readonly done = new Map<string, string>();

  /** The TS expression of a request shape, declaring named structures (`<Name>In`) first. */
  expr(schema: Schema): string {
    const s = deref(schema);
    if (typeof s === 'number') {
      if (s & 64) return `inp.list(${this.expr(s & 63)})`;
      const scalar = SCALARS[s];
      if (!scalar) throw new Error(`unsupported input scalar schema ${s}`);
      return scalar;
    }
    if (!Array.isArray(s)) throw new Error(`unsupported input schema ${String(s)}`);
    const [kind, , name] = s as [number, string, string];
    if (kind === 0) return this.expr(s[4]);
    if (kind === 1) return `inp.list(${this.expr(member(s[4]).schema)})`;
    if (kind !== 3) throw new Error(`unsupported input schema kind ${kind} (${name})`);
    const known = this.done.get(name);
    if (known) return known;
    const id = `${name}In`;
    this.done.set(name, id);
    const body = this.struct(s, '  ');
    this.lines.push(`export const ${id} = ${body};\n`);
    return id;
  }

  /** `inp.struct({ ... })` of a structure schema, members indented by `indent`. */
  struct(s: unknown[], indent: string): string {
    const names = s[4] as string[];
    const required = typeof s[6] === 'number' ? s[6] : 0;
    const members = (s[5] as Schema[]).map((ref, i) => {
      const m = member(ref);
      const query = m.traits.ec2QueryName ?? capital(m.traits.xmlName ?? names[i]);
      return `${indent}${names[i]}: inp.${i < required ? 'req' : 'opt'}('${query}', ${this.expr(m.schema)}),`;
    });
    return `inp.struct({\n${members.join('\n')}\n${indent.slice(2)}})`;
  }
}

/** The `inputs` table's source lines (declarations first) for the given operations' input schemas. */
export function inputSection(ops: Array<{ name: string; input: Schema }>): string[] {
  const e = new InputEmitter();
  const rows = ops.map(({ name, input }) => `  ${name}: ${e.struct(deref(input) as unknown[], '    ')},`);
  return [
    ...e.lines,
    "/** Each action's request: its members, the Query names they travel under, which are required. */",
    'export const inputs = {',
    ...rows,
    '} as const;',
  ];
}
