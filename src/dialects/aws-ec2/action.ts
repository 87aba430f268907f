// What one EC2 action is: its name, whether it reads or writes, its input spec (read from the
// dotted Query form), its response shape, and a handler that never sees HTTP (convention 3).
import type { Access, RequestContext } from '../../service/context.ts';
import type { Services } from '../../service/services.ts';
import type { Ec2Caches } from './caches.ts';
import type { InputOf, Spec } from './protocol/query-input.ts';
import type { Infer, StructShape } from './protocol/xml-writer.ts';

export interface Ec2Action<S extends Spec = Spec, O extends StructShape<any> = StructShape<any>> {
  name: string;
  access: Access;
  input: S;
  output: O;
  /** `caches` belong to the mounted dialect (plugin.ts). */
  handle(ctx: RequestContext, input: InputOf<S>, services: Services, caches: Ec2Caches): Promise<Infer<O>>;
}

export function action<S extends Spec, O extends StructShape<any>>(def: Ec2Action<S, O>): Ec2Action<S, O> {
  return def;
}
