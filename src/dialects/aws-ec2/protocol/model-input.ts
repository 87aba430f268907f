/*
 * Request shapes of the EC2 Query protocol, as generated/model.ts declares them from EC2's model:
 *
 *   inputs.CreateVpnConnection = inp.struct({
 *     CustomerGatewayId: inp.req('CustomerGatewayId', inp.str),       CustomerGatewayId=cgw-1
 *     Options: inp.opt('Options', VpnConnectionOptionsSpecificationIn), Options.StaticRoutesOnly=true
 *   })                                                                  Options.TunnelOptions.1.Phase1DHGroupNumber.1.Value=14
 *
 * Each member travels under its Query name (the model's `ec2QueryName`, else its `xmlName` or
 * member name with a capital first letter); a list is always flattened (`Name.N`, 1-based), a
 * structure's members follow a dot. `InputOf<S>` is the typed value model-input-parser.ts reads:
 * a list is always an array (empty when absent), a required member is always present.
 */

export type InScalarKind = 'string' | 'integer' | 'boolean' | 'timestamp' | 'blob';
export interface InScalar<K extends InScalarKind = InScalarKind, T = unknown> {
  readonly kind: K;
  /** Type carrier only, never set. */
  readonly __value?: T;
}
export interface InList<M extends InShape = InShape> {
  readonly kind: 'list';
  readonly member: M;
}
export interface InMember<S extends InShape = InShape, R extends boolean = boolean> {
  /** The Query name this member travels under. */
  readonly query: string;
  readonly shape: S;
  readonly required: R;
}
export type InMembers = { readonly [key: string]: InMember<any, boolean> };
export interface InStruct<M extends InMembers = InMembers> {
  readonly kind: 'struct';
  readonly members: M;
}
export type InShape = InScalar<InScalarKind, any> | InList<any> | InStruct<any>;

type ValueOf<S> =
  S extends InList<infer M>
    ? Array<ValueOf<M>>
    : S extends InStruct<infer M>
      ? InputOf<InStruct<M>>
      : S extends InScalar<InScalarKind, infer T>
        ? T
        : never;
type MemberValue<M> =
  M extends InMember<infer S, infer R>
    ? S extends InList<any>
      ? ValueOf<S>
      : R extends true
        ? ValueOf<S>
        : ValueOf<S> | undefined
    : never;

/** The typed request a structure shape reads to. */
export type InputOf<S> = S extends InStruct<infer M> ? { -readonly [K in keyof M]: MemberValue<M[K]> } : never;

const scalar = <K extends InScalarKind, T>(kind: K): InScalar<K, T> => Object.freeze({ kind });

export const inp = {
  str: scalar<'string', string>('string'),
  /** Integer and Long (the SDK's schema does not tell them apart; EC2's VPN inputs have no float). */
  int: scalar<'integer', number>('integer'),
  bool: scalar<'boolean', boolean>('boolean'),
  time: scalar<'timestamp', Date>('timestamp'),
  blob: scalar<'blob', Buffer>('blob'),
  list: <M extends InShape>(member: M): InList<M> => Object.freeze({ kind: 'list', member }),
  struct: <M extends InMembers>(members: M): InStruct<M> => Object.freeze({ kind: 'struct', members }),
  req: <S extends InShape>(query: string, shape: S): InMember<S, true> => Object.freeze({ query, shape, required: true }),
  opt: <S extends InShape>(query: string, shape: S): InMember<S, false> => Object.freeze({ query, shape, required: false }),
} as const;
