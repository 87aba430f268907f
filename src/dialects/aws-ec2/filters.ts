/*
 * One filter engine for every EC2 Describe action. An action declares, per filter name EC2
 * documents for it, the values of an item that filter looks at; a request's filters are then
 * compiled once (unknown names refused as EC2 does) into a predicate:
 *
 *   const engine = filterEngine<Cgw>({ 'bgp-asn': (c) => String(c.bgpAsn) }, (c) => c.tags);
 *   const keep = engine.compile(input.Filters);        // throws InvalidParameterValue
 *   items.filter(keep);
 *
 * Values take EC2's wildcards: `*` any run, `?` one character, `\` escapes the next one.
 * A filter matches when any of the item's values matches any of the filter's values; all
 * filters must match.
 */
import type { Tag } from '../../domain/entities.ts';
import { Ec2Error } from './errors.ts';
import { missingParameter } from './protocol/query-errors.ts';

type Values = string | undefined | ReadonlyArray<string | undefined>;
export type Extractors<T> = Readonly<Record<string, (item: T) => Values>>;
export interface FilterInput {
  name: string;
  values: readonly string[];
}

export interface FilterEngine<T> {
  /** Every filter name the action accepts (`tag:<key>` stands for the tag filters). */
  readonly names: readonly string[];
  compile(filters: readonly FilterInput[]): (item: T) => boolean;
}

/** `Filter.N.Name` / `Filter.N.Value.M` as the model reads them; a filter without a name is refused. */
export function filtersOf(filters: ReadonlyArray<{ Name: string | undefined; Values: string[] }>): FilterInput[] {
  return filters.map((f, i) => {
    if (f.Name === undefined || f.Name === '') throw missingParameter(`Filter.${i + 1}.Name`);
    return { name: f.Name, values: f.Values };
  });
}

export function invalidFilter(name: string): Ec2Error {
  return new Ec2Error('InvalidParameterValue', `The filter '${name}' is invalid`);
}

/** An engine for items with `extractors`; `tagsOf` adds `tag:<key>`, `tag-key` and `tag-value`. */
export function filterEngine<T>(extractors: Extractors<T>, tagsOf?: (item: T) => readonly Tag[]): FilterEngine<T> {
  const names = Object.keys(extractors);
  if (tagsOf) names.push('tag:<key>', 'tag-key', 'tag-value');
  return {
    names,
    compile(filters) {
      const tests = filters.map((f) => one(f, extractors, tagsOf));
      return (item) => {
        for (let i = 0; i < tests.length; i++) if (!tests[i](item)) return false;
        return true;
      };
    },
  };
}

function one<T>(f: FilterInput, extractors: Extractors<T>, tagsOf?: (item: T) => readonly Tag[]): (item: T) => boolean {
  const match = valueMatcher(f.values);
  if (tagsOf && f.name.startsWith('tag:')) {
    const key = f.name.slice(4);
    return (item) => tagsOf(item).some((t) => t.key === key && match(t.value));
  }
  if (tagsOf && f.name === 'tag-key') return (item) => tagsOf(item).some((t) => match(t.key));
  if (tagsOf && f.name === 'tag-value') return (item) => tagsOf(item).some((t) => match(t.value));
  const extract = Object.hasOwn(extractors, f.name) ? extractors[f.name] : undefined;
  if (!extract) throw invalidFilter(f.name);
  return (item) => {
    const v = extract(item);
    if (typeof v === 'string') return match(v);
    if (v === undefined) return false;
    return v.some((x) => x !== undefined && match(x));
  };
}

/** A predicate over one string: any of `patterns` matches it, with EC2's wildcards. */
export function valueMatcher(patterns: readonly string[]): (actual: string) => boolean {
  const exact = new Set<string>();
  const globs: RegExp[] = [];
  for (const p of patterns) {
    if (/[*?\\]/.test(p)) globs.push(wildcard(p));
    else exact.add(p);
  }
  if (globs.length === 0) return (a) => exact.has(a);
  return (a) => exact.has(a) || globs.some((g) => g.test(a));
}

function wildcard(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) re += escapeRegexChar(pattern[++i]);
    else if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else re += escapeRegexChar(c);
  }
  return new RegExp('^' + re + '$', 'su');
}

function escapeRegexChar(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? '\\' + c : c;
}
