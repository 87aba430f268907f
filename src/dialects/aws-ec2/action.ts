// What one EC2 action is: its name, whether it reads or writes, its request shape (generated from
// EC2's model and read by protocol/model-input-parser.ts), the checks of the values EC2's model
// cannot express (ranges, enums), its response shape, and a handler that never sees HTTP (convention 3).
import type { Access, RequestContext } from '../../service/context.ts';
import type { Services } from '../../service/services.ts';
import type { Ec2Caches } from './caches.ts';
import type { InputOf, InStruct } from './protocol/model-input.ts';
import type { QueryParseError } from './protocol/query-errors.ts';
import type { Infer, StructShape } from './protocol/xml-writer.ts';

export interface Ec2Action<S extends InStruct<any> = InStruct, O extends StructShape<any> = StructShape<any>> {
  name: string;
  access: Access;
  input: S;
  /** EC2's own answer for a missing required member, by dotted Query name, where EC2 words it otherwise. */
  missing?: Readonly<Record<string, QueryParseError>>;
  /** Checks the parsed values before the key's policy and DryRun (throws QueryParseError or Ec2Error). */
  validate?(input: InputOf<S>): void;
  output: O;
  /** `caches` belong to the mounted dialect (plugin.ts). */
  handle(ctx: RequestContext, input: InputOf<S>, services: Services, caches: Ec2Caches): Promise<Infer<O>>;
}

export function action<S extends InStruct<any>, O extends StructShape<any>>(def: Ec2Action<S, O>): Ec2Action<S, O> {
  return def;
}
