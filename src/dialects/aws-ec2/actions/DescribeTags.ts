// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeTags.html
import type { ResourceTag } from '../../../service/tags.ts';
import { action } from '../action.ts';
import { filterEngine, filtersOf } from '../filters.ts';
import { inputs, outputs } from '../generated/model.ts';
import { checkRange } from '../protocol/model-input-checks.ts';
import { invalidValue } from '../protocol/query-errors.ts';

/** The filters EC2 documents for DescribeTags; `tag:<key>` selects that key's tags by value. */
export const tagFilters = filterEngine<ResourceTag>(
  {
    key: (t) => t.key,
    value: (t) => t.value,
    'resource-id': (t) => t.resourceId,
    'resource-type': (t) => t.resourceType,
  },
  (t) => [t],
);

export default action({
  name: 'DescribeTags',
  access: 'read',
  input: inputs.DescribeTags,
  validate(input) {
    filtersOf(input.Filters);
    checkRange('MaxResults', input.MaxResults, { min: 5, max: 1000 });
  },
  output: outputs.DescribeTags,
  async handle(ctx, input, services) {
    const keep = tagFilters.compile(filtersOf(input.Filters));
    const all = (await services.tags.list(ctx)).filter(keep);
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
