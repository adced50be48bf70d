import { HttpStatus } from '@nestjs/common';
import type { z } from 'zod';
import { ProblemError } from './problem';

export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body ?? {});
  if (!result.success) {
    throw new ProblemError(HttpStatus.BAD_REQUEST, 'VALIDATION_FAILED', 'The request body is invalid.', {
      errors: result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    });
  }
  return result.data;
}
