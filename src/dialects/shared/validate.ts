// Request body validation for both JSON dialects: TypeBox schemas give both the check and the
// type; the first error becomes a VPN.0001 message naming the field, e.g.
//   invalid request: vpn_connection.ikepolicy.lifetime_seconds must be an integer from 60 to 604800
import { FormatRegistry, type Static, type TSchema, Type } from '@sinclair/typebox';
import { TypeCompiler, type ValueError } from '@sinclair/typebox/compiler';
import { ValueErrorType } from '@sinclair/typebox/errors';
import { isCidr, isInsideTunnelAddress, isIpv4 } from '../../domain/cidr.ts';
import { invalidRequest } from './json-errors.ts';

FormatRegistry.Set('cidr', (v) => isCidr(v));
FormatRegistry.Set('ipv4', (v) => isIpv4(v));
FormatRegistry.Set('tunnel-address', (v) => isInsideTunnelAddress(v));

/** Schema options understood by the error formatter. */
interface Described {
  errorMessage?: string;
}

export const oneOf = <const T extends string>(values: readonly T[]) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    { errorMessage: `must be one of ${values.join(', ')}` },
  );

export const intRange = (min: number, max: number) =>
  Type.Integer({ minimum: min, maximum: max, errorMessage: `must be an integer from ${min} to ${max}` });

export const str = (min: number, max: number) =>
  Type.String({ minLength: min, maxLength: max, errorMessage: `must be a string of ${min} to ${max} characters` });

export const cidr = () => Type.String({ format: 'cidr', errorMessage: 'must be a CIDR block such as 192.168.0.0/24' });

export const ipv4 = () => Type.String({ format: 'ipv4', errorMessage: 'must be an IPv4 address' });

export const obj = <P extends Parameters<typeof Type.Object>[0]>(props: P) => Type.Object(props, { additionalProperties: false });

export type Validator<T extends TSchema> = (value: unknown) => Static<T>;

export function validator<T extends TSchema>(schema: T): Validator<T> {
  const compiled = TypeCompiler.Compile(schema);
  return (value) => {
    if (compiled.Check(value)) return value;
    throw invalidRequest(describe(compiled.Errors(value).First()!));
  };
}

function describe(error: ValueError): string {
  const path = error.path.split('/').filter(Boolean).join('.') || 'body';
  switch (error.type) {
    case ValueErrorType.ObjectRequiredProperty:
      return `${path} is required`;
    case ValueErrorType.ObjectAdditionalProperties:
      return `${path} is not a valid field`;
    case ValueErrorType.Object:
      return `${path} must be an object`;
    case ValueErrorType.Array:
      return `${path} must be a list`;
    case ValueErrorType.ArrayMaxItems:
      return `${path} has too many items (at most ${(error.schema as { maxItems?: number }).maxItems})`;
    case ValueErrorType.ArrayMinItems:
      return `${path} needs at least ${(error.schema as { minItems?: number }).minItems} item(s)`;
    case ValueErrorType.Boolean:
      return `${path} must be true or false`;
  }
  const custom = (error.schema as Described).errorMessage;
  return custom ? `${path} ${custom}` : `${path}: ${error.message}`;
}

/** Parses a JSON request body; anything but a JSON object is a VPN.0001. */
export function parseJsonBody(raw: Buffer): unknown {
  if (raw.length === 0) throw invalidRequest('the request body is empty');
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw invalidRequest('the request body is not valid JSON');
  }
}
