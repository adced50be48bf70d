import { HttpStatus } from '@nestjs/common';
import type { z } from 'zod';
import { ProblemError } from './problem';

export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  return parseWith(schema, body ?? {}, 'The request body is invalid.');
}

export function parseQuery<T extends z.ZodType>(schema: T, query: unknown): z.infer<T> {
  return parseWith(schema, query ?? {}, 'The query string is invalid.');
}

function parseWith<T extends z.ZodType>(schema: T, input: unknown, message: string): z.infer<T> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new ProblemError(HttpStatus.BAD_REQUEST, 'VALIDATION_FAILED', message, {
      errors: result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    });
  }
  return result.data;
}
