import type * as z from 'zod';
import { InvalidEventError } from '../lambda/core/errors.ts';

/** Validates part of an event, turning the first schema issue into an error that names the field. */
export function parseDetail<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  path = 'detail',
): z.infer<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = [path, ...(issue?.path ?? [])].join('.');
  throw new InvalidEventError(issue?.message ?? 'invalid value', field);
}

parseDetail.error = (field: string, message: string) => new InvalidEventError(message, field);
