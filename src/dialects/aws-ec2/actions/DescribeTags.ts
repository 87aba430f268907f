// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeTags.html
import type { Tag } from '../../../domain/entities.ts';
import type { ResourceTag } from '../../../service/tags.ts';
import { action } from '../action.ts';
import { Ec2Error } from '../errors.ts';
import { invalidValue } from '../protocol/query-errors.ts';
import { q } from '../protocol/query-input.ts';
import { list, str, struct } from '../protocol/xml-writer.ts';

/** Whether any filter value matches; EC2 filter values take `*` (any run) and `?` (one character). */
export function matchesFilter(values: readonly string[], actual: string | undefined): boolean {
  return actual !== undefined && values.some((v) => wildcard(v).test(actual));
}

function wildcard(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) re += escape(pattern[++i]);
    else if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else re += escape(c);
  }
  return new RegExp('^' + re + '$', 'su');
}

function escape(c: string): string {
  return /[.*+?^${}()|[\]\\]/.test(c) ? '\\' + c : c;
}

/** The tag filters every Describe action has: `tag:<key>`, `tag-key`, `tag-value`. */
export function tagFilter(name: string): ((tags: readonly Tag[], values: string[]) => boolean) | undefined {
  if (name.startsWith('tag:')) {
    const key = name.slice(4);
    return (tags, v) => tags.some((t) => t.key === key && matchesFilter(v, t.value));
  }
  if (name === 'tag-key') return (tags, v) => tags.some((t) => matchesFilter(v, t.key));
  if (name === 'tag-value') return (tags, v) => tags.some((t) => matchesFilter(v, t.value));
  return undefined;
}

export function invalidFilter(name: string): Ec2Error {
  return new Ec2Error('InvalidParameterValue', `The filter '${name}' is invalid`);
}

type Matcher = (t: ResourceTag, values: string[]) => boolean;

const FILTERS: Record<string, Matcher> = {
  key: (t, v) => matchesFilter(v, t.key),
  value: (t, v) => matchesFilter(v, t.value),
  'resource-id': (t, v) => matchesFilter(v, t.resourceId),
  'resource-type': (t, v) => matchesFilter(v, t.resourceType),
};

function matcherFor(name: string): Matcher {
  if (name.startsWith('tag:')) {
    // DescribeTags lists tags, not resources: tag:<key> selects that key's tags by value.
    const key = name.slice(4);
    return (t, v) => t.key === key && matchesFilter(v, t.value);
  }
  const m = FILTERS[name];
  if (!m) throw invalidFilter(name);
  return m;
}

const inputSpec = {
    Filters: q.filters('Filter'),
    MaxResults: q.int('MaxResults', { min: 5, max: 1000 }),
    NextToken: q.string('NextToken'),
};

export default action({
  name: 'DescribeTags',
  access: 'read',
  input: inputSpec,
  output: struct({
    Tags: list(struct({ Key: str, ResourceId: str, ResourceType: str, Value: str })),
    NextToken: str,
  }),
  async handle(ctx, input, services) {
    const matchers = input.Filters.map((f) => ({ match: matcherFor(f.name), values: f.values }));
    const all = (await services.tags.list(ctx)).filter((t) => matchers.every((m) => m.match(t, m.values)));
    const start = input.NextToken === undefined ? 0 : offsetOf(input.NextToken);
    const end = input.MaxResults === undefined ? all.length : Math.min(all.length, start + input.MaxResults);
    return {
      Tags: all.slice(start, end).map((t) => ({ Key: t.key, ResourceId: t.resourceId, ResourceType: t.resourceType, Value: t.value })),
      NextToken: end < all.length ? Buffer.from(`tags:${end}`).toString('base64url') : undefined,
    };
  },
});

function offsetOf(token: string): number {
  const m = /^tags:([0-9]{1,9})$/.exec(Buffer.from(token, 'base64url').toString());
  if (!m) throw invalidValue('NextToken', token, 'The pagination token is not valid.');
  return Number(m[1]);
}
