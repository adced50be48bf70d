import { Body, HttpStatus, Query, type PipeTransform } from '@nestjs/common';
import { ApiBody, ApiQuery, type SchemaObject } from '@nestjs/swagger';
import { z } from 'zod';
import { ProblemError, type ProblemCode } from './problem';

/** The OpenAPI 3.0 schema of what a client sends: the input side of `schema` (defaults optional). */
export function toOpenApi(schema: z.ZodType): SchemaObject {
  return z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input' }) as SchemaObject;
}

export function parseOrProblem<T extends z.ZodType>(
  schema: T,
  input: unknown,
  code: ProblemCode,
  message: string,
): z.infer<T> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new ProblemError(HttpStatus.BAD_REQUEST, code, message, {
      errors: result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    });
  }
  return result.data;
}

export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  return parseOrProblem(schema, body ?? {}, 'VALIDATION_FAILED', 'The request body is invalid.');
}

/**
 * The JSON body parsed with `schema` (400 VALIDATION_FAILED otherwise) and documented in OpenAPI from
 * the same schema, so the two cannot drift. Annotate the parameter as `z.infer<typeof schema>`.
 */
export function ValidBody(schema: z.ZodType): ParameterDecorator {
  const parse: PipeTransform = { transform: (body: unknown) => parseBody(schema, body) };
  const document = ApiBody({ schema: toOpenApi(schema) });
  return (target, key, index) => {
    Body(parse)(target, key, index);
    documentMethod(target, key, document);
  };
}

/** The query string parsed with `schema` and each of its properties documented as a query parameter. */
export function ValidQuery(schema: z.ZodObject): ParameterDecorator {
  const parse: PipeTransform = {
    transform: (query: unknown) =>
      parseOrProblem(schema, query ?? {}, 'VALIDATION_FAILED', 'The query string is invalid.'),
  };
  const { properties = {}, required = [] } = toOpenApi(schema);
  return (target, key, index) => {
    Query(parse)(target, key, index);
    for (const [name, property] of Object.entries(properties)) {
      const description = 'description' in property ? property.description : undefined;
      documentMethod(
        target,
        key,
        ApiQuery({
          name,
          required: required.includes(name),
          schema: property,
          ...(description ? { description } : {}),
        }),
      );
    }
  };
}

/** Applies a method decorator from a parameter decorator, which runs first and sees only the prototype. */
function documentMethod(target: object, key: string | symbol | undefined, decorator: MethodDecorator): void {
  const descriptor = key === undefined ? undefined : Object.getOwnPropertyDescriptor(target, key);
  if (key === undefined || !descriptor)
    throw new Error('ValidBody and ValidQuery decorate method parameters');
  decorator(target, key, descriptor);
}
