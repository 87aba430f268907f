/*
 * Declarative, typed input for actions, over the dotted Query form:
 *
 *   Options.TunnelOptions.2.Phase1DHGroupNumber.1.Value=14      const spec = {
 *   Options.StaticRoutesOnly=true                                 CustomerGatewayId: q.requiredString('CustomerGatewayId'),
 *   CustomerGatewayId=cgw-0e11f167                                Options: q.struct('Options', {
 *                                                                   StaticRoutesOnly: q.boolean('StaticRoutesOnly'),
 *                                                                   TunnelOptions: q.structList('TunnelOptions', {
 *                                                                     Phase1DHGroupNumbers: q.intValueList('Phase1DHGroupNumber'),
 *                                                                   }) }) };
 *                                                               const input: InputOf<typeof spec> = readInput(reader, spec);
 *
 * Each field is a function of a QueryReader; the result type follows from the spec. Failures are
 * QueryParseError with EC2 codes (MissingParameter, InvalidParameterValue, ...).
 */
import type { QueryReader } from './query-reader.ts';

export type Field<T> = (r: QueryReader) => T;
export type Spec = { readonly [key: string]: Field<unknown> };
export type InputOf<S extends Spec> = { -readonly [K in keyof S]: ReturnType<S[K]> };
type Range = { min?: number; max?: number };

export function readInput<S extends Spec>(r: QueryReader, spec: S): InputOf<S> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(spec)) out[key] = spec[key](r);
  return out as InputOf<S>;
}

export const q = {
  string: (name: string): Field<string | undefined> => (r) => r.getString(name),
  requiredString: (name: string): Field<string> => (r) => r.requireString(name),
  boolean: (name: string): Field<boolean | undefined> => (r) => r.getBoolean(name),
  int: (name: string, range?: Range): Field<number | undefined> => (r) => r.getInt(name, range),
  requiredInt:
    (name: string, range?: Range): Field<number> =>
    (r) => {
      r.requireString(name);
      return r.getInt(name, range)!;
    },
  enum:
    <T extends string>(name: string, values: readonly T[]): Field<T | undefined> =>
    (r) => r.getEnum(name, values),
  requiredEnum:
    <T extends string>(name: string, values: readonly T[]): Field<T> =>
    (r) => {
      r.requireString(name);
      return r.getEnum(name, values)!;
    },
  /** `name.N` */
  list: (name: string): Field<string[]> => (r) => r.getList(name),
  /** `name.N.Value` */
  valueList: (name: string): Field<string[]> => (r) => r.getValueList(name),
  intValueList:
    (name: string, range?: Range): Field<number[]> =>
    (r) => r.getIntValueList(name, range),
  /** `name.*`, undefined when absent. */
  struct:
    <S extends Spec>(name: string, spec: S): Field<InputOf<S> | undefined> =>
    (r) => {
      const s = r.getStruct(name);
      return s === undefined ? undefined : readInput(s, spec);
    },
  /** `name.N.*` */
  structList:
    <S extends Spec>(name: string, spec: S): Field<Array<InputOf<S>>> =>
    (r) => r.getStructList(name).map((s) => readInput(s, spec)),
  /** `Filter.N.Name` / `Filter.N.Value.M` */
  filters:
    (name = 'Filter'): Field<Array<{ name: string; values: string[] }>> =>
    (r) => r.getFilters(name),
  /** `TagSpecification.N.ResourceType` / `.Tag.M.Key` / `.Tag.M.Value` */
  tagSpecifications:
    (name = 'TagSpecification'): Field<Array<{ resourceType?: string; tags: Array<{ key: string; value: string }> }>> =>
    (r) => r.getTags(name),
  /** `Tag.N.Key` / `Tag.N.Value` */
  tags:
    (name = 'Tag'): Field<Array<{ key: string; value?: string }>> =>
    (r) => r.getTagList(name),
} as const;
