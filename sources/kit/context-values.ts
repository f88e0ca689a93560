import * as z from 'zod';
import { REGION_PATTERN } from '../../lambda/core/environment.ts';
import { identityMappingSchema } from '../../lambda/core/identity-mapping.ts';

// `-c key=value` always yields strings, cdk.json yields JSON: accept both. A string that looks like JSON
// (`[…]`, `{…}`) is parsed as JSON, any other string as a comma-separated list.
export const fromString =
  (parse: (value: string) => unknown) =>
  (value: unknown): unknown =>
    typeof value === 'string' ? parse(value.trim()) : value;

export const parseJson = (value: string, otherwise: (value: string) => unknown): unknown => {
  if (!/^[[{]/.test(value)) return otherwise(value);
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
};

const splitList = (value: string) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/** A list of at least one `what`: a JSON array, or a comma-separated string. */
export const list = <T extends z.ZodType>(item: T, what: string) =>
  z.preprocess(
    fromString((value) => parseJson(value, splitList)),
    z
      .array(item, { error: 'expected a list (JSON array or comma-separated string)' })
      .min(1, `expected at least one ${what}`),
  );

export const boolean = z.preprocess(
  fromString((value) => (value === 'true' ? true : value === 'false' ? false : value)),
  z.boolean({ error: 'expected true or false' }),
);

export const text = z.string({ error: 'expected a string' }).trim().min(1, 'expected a non-empty string');

/** An EventBridge `source` an operator or tool may put (`aws.` is AWS's own). */
export const eventSource = text.refine(
  (source) => !source.startsWith('aws.'),
  'expected a source not starting with "aws."',
);

/** A list of event types, each one of `values`. */
export const eventTypes = <const Values extends readonly [string, ...string[]]>(values: Values) =>
  list(z.enum(values, { error: `expected one of ${values.join(', ')}` }), 'event type');

/** Partner event source names of `partner` (`okta.com`), such as `aws.partner/okta.com/<org>/<name>`. */
export const partnerEventSources = (pattern: RegExp, expected: string) =>
  list(z.string().regex(pattern, `expected ${expected}`), 'event source');

/** `{ "field"?, "lowercase"?, "template"? }` as JSON (cdk.json object or a `-c` JSON string). */
export const identityMapping = z.preprocess(
  fromString((value) => parseJson(value, (text) => text)),
  identityMappingSchema,
);

export const region = z
  .string({ error: 'expected a region string' })
  .regex(REGION_PATTERN, 'expected an AWS region such as us-east-1');
