// The Huawei resources' own field rules (names, tags); the generic validators both JSON dialects
// use live in dialects/shared/validate.ts and are re-exported here for the Huawei schemas.
import { FormatRegistry, Type } from '@sinclair/typebox';

export { cidr, intRange, ipv4, obj, oneOf, parseJsonBody, str, type Validator, validator } from '../../shared/validate.ts';

// Letters (including Spanish and Portuguese ones), digits, spaces and _ . : = + - @
const TAG_TEXT = /^[\p{L}\p{N} _.:=+\-@]*$/u;
FormatRegistry.Set('tag-text', (v) => TAG_TEXT.test(v));

export const name = (what = 'name') =>
  Type.String({
    pattern: '^[A-Za-z0-9_.-]{1,64}$',
    errorMessage: `${what} must be 1 to 64 characters of letters, digits, underscores (_), hyphens (-) and periods (.)`,
  });

export const tag = () =>
  Type.Object(
    {
      key: Type.String({
        minLength: 1,
        maxLength: 128,
        format: 'tag-text',
        errorMessage: 'must be 1 to 128 letters, digits, spaces or _ . : = + - @',
      }),
      value: Type.String({
        minLength: 0,
        maxLength: 255,
        format: 'tag-text',
        errorMessage: 'must be 0 to 255 letters, digits, spaces or _ . : = + - @',
      }),
    },
    { additionalProperties: false },
  );

export const tags = () => Type.Array(tag(), { maxItems: 20, errorMessage: 'must be a list of at most 20 tags' });
