// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateTags.html
import type { Tag } from '../../../domain/entities.ts';
import { isDomainError } from '../../../domain/errors.ts';
import { authorize } from '../../../service/context.ts';
import { checkEc2Tags } from '../../../service/tags.ts';
import { action } from '../action.ts';
import { Ec2Error } from '../errors.ts';
import { inputs, outputs, type TagIn, type TagSpecificationIn } from '../generated/model.ts';
import type { InputOf } from '../protocol/model-input.ts';
import { missingParameter, QueryParseError } from '../protocol/query-errors.ts';

/** EC2's own answers when Create/DeleteTags leave out what its model requires. */
export const TAGS_MISSING = {
  ResourceId: missingParameter('resourceIdSet'),
  Tag: new QueryParseError('InvalidParameterValue', 'You must specify one or more tags to create'),
} as const;

/** Tags as sent; a missing value is the empty string (EC2: "we set the value to an empty string"). */
export function readTags(list: Array<InputOf<typeof TagIn>>): Tag[] {
  return list.map((t) => ({ key: t.Key ?? '', value: t.Value ?? '' }));
}

/**
 * The tags of a create action's TagSpecification.N, checked against EC2's rules before anything
 * is created. A specification for another resource type is refused as EC2 refuses it.
 */
export function tagSpecificationTags(specs: Array<InputOf<typeof TagSpecificationIn>>, resourceType: string): Tag[] {
  const tags: Tag[] = [];
  for (const s of specs) {
    if (s.ResourceType !== undefined && s.ResourceType !== resourceType) {
      throw new Ec2Error('InvalidParameter', `'${s.ResourceType}' is not a valid taggable resource type for this operation.`);
    }
    tags.push(...readTags(s.Tags));
  }
  try {
    checkEc2Tags(tags);
  } catch (err) {
    throw ec2TagError(err);
  }
  return tags;
}

/**
 * The tag service's errors in EC2's codes where the generic mapping has none: the tag limit
 * (TagLimitExceeded) and an id of no known kind (InvalidID). Anything else passes through.
 */
export function ec2TagError(err: unknown): unknown {
  if (!isDomainError(err)) return err;
  if (err.code === 'QuotaExceeded' && err.field === 'tags') return new Ec2Error('TagLimitExceeded', err.message);
  if (err.code === 'NotFound' && err.resource === undefined && err.id !== undefined) return new Ec2Error('InvalidID', err.message);
  return err;
}

export default action({
  name: 'CreateTags',
  access: 'write',
  input: inputs.CreateTags,
  missing: TAGS_MISSING,
  output: outputs.CreateTags,
  async handle(ctx, input, services) {
    authorize(ctx, 'write', 'CreateTags'); // before the checks below, which a read-only key must not reach
    try {
      await services.tags.create(ctx, input.Resources, readTags(input.Tags));
    } catch (err) {
      throw ec2TagError(err);
    }
    return { Return: true };
  },
});
