// The value checks EC2's model cannot carry (the SDK's schema drops ranges and enums): applied by
// an action's `validate` to the typed request, with the wording of EC2's InvalidParameterValue.
import { invalidValue } from './query-errors.ts';

export interface Range {
  min?: number;
  max?: number;
}

/** `value` (when given) within `range`; `name` is the dotted Query name. */
export function checkRange(name: string, value: number | undefined, range: Range): void {
  if (value === undefined) return;
  if (range.min !== undefined && value < range.min) {
    throw invalidValue(name, String(value), `Expecting a value greater than or equal to ${range.min}.`);
  }
  if (range.max !== undefined && value > range.max) {
    throw invalidValue(name, String(value), `Expecting a value less than or equal to ${range.max}.`);
  }
}

/** `value` (when given) one of `allowed`. */
export function checkEnum<T extends string>(
  name: string,
  value: string | undefined,
  allowed: readonly T[],
): asserts value is T | undefined {
  if (value === undefined || (allowed as readonly string[]).includes(value)) return;
  throw invalidValue(name, value, `Valid values: ${allowed.join(', ')}.`);
}
