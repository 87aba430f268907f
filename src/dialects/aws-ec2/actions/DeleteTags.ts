// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteTags.html
import { authorize } from '../../../service/context.ts';
import { action } from '../action.ts';
import { outputs } from '../generated/model.ts';
import { Ec2Error } from '../errors.ts';
import { q } from '../protocol/query-input.ts';
import { ec2TagError, tagListSpec } from './CreateTags.ts';

const inputSpec = {
    ResourceIds: q.list('ResourceId'),
    Tags: q.structList('Tag', tagListSpec),
};

export default action({
  name: 'DeleteTags',
  access: 'write',
  input: inputSpec,
  output: outputs.DeleteTags,
  async handle(ctx, input, services) {
    authorize(ctx, 'write', 'DeleteTags'); // before the checks below, which a read-only key must not reach
    if (input.ResourceIds.length === 0) throw new Ec2Error('MissingParameter', 'The request must contain the parameter resourceIdSet');
    // No Tag.N: every tag of the resources goes. A key without a value: any value. An empty value
    // (sent as `Tag.N.Value=`): only the tag whose value is empty.
    const tags = input.Tags.map((t) => ({ key: t.Key ?? '', value: t.Value }));
    try {
      await services.tags.delete(ctx, input.ResourceIds, tags);
    } catch (err) {
      throw ec2TagError(err);
    }
    return { Return: true };
  },
});
