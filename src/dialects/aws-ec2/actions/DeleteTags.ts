// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteTags.html
import { authorize } from '../../../service/context.ts';
import { action } from '../action.ts';
import { inputs, outputs } from '../generated/model.ts';
import { ec2TagError, TAGS_MISSING } from './CreateTags.ts';

export default action({
  name: 'DeleteTags',
  access: 'write',
  input: inputs.DeleteTags,
  missing: { ResourceId: TAGS_MISSING.ResourceId },
  output: outputs.DeleteTags,
  async handle(ctx, input, services) {
    authorize(ctx, 'write', 'DeleteTags'); // before the checks below, which a read-only key must not reach
    // No Tag.N: every tag of the resources goes. A key without a value: any value. An empty value
    // (sent as `Tag.N.Value=`): only the tag whose value is empty.
    const tags = input.Tags.map((t) => ({ key: t.Key ?? '', value: t.Value }));
    try {
      await services.tags.delete(ctx, input.Resources, tags);
    } catch (err) {
      throw ec2TagError(err);
    }
    return { Return: true };
  },
});
