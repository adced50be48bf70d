import {
  applyDecorators,
  HttpStatus,
  Inject,
  Injectable,
  SetMetadata,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiResponse, type SchemaObject } from '@nestjs/swagger';
import { map, type Observable } from 'rxjs';
import { z } from 'zod';
import { ProblemError } from './problem';

const RESPONSE_SCHEMA = 'outdial:response-schema';

/** The OpenAPI 3.0 schema of what the API sends: the output side of `schema`. */
function toOpenApiOutput(schema: z.ZodType): SchemaObject {
  return z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io: 'output',
    unrepresentable: 'any',
  }) as SchemaObject;
}

/**
 * Documents the endpoint's success body from `schema` (the console's client is generated from it),
 * and lets ResponseContract hold the handler to it, so the document and the code cannot drift.
 */
export function ApiResult(schema: z.ZodType, status: number = HttpStatus.OK): MethodDecorator {
  return applyDecorators(
    ApiResponse({ status, description: 'Success', schema: toOpenApiOutput(schema) }),
    SetMetadata(RESPONSE_SCHEMA, schema),
  );
}

/**
 * Checks every documented response against its schema. On in tests (NODE_ENV=test), where a
 * mismatch fails the request with 500 RESPONSE_CONTRACT_BROKEN naming the paths that drifted.
 */
@Injectable()
export class ResponseContract implements NestInterceptor {
  constructor(@Inject(Reflector) private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const schema = this.reflector.get<z.ZodType | undefined>(RESPONSE_SCHEMA, context.getHandler());
    if (!schema) return next.handle();
    return next.handle().pipe(
      map((body: unknown) => {
        const result = schema.safeParse(body);
        if (result.success) return body;
        throw new ProblemError(
          HttpStatus.INTERNAL_SERVER_ERROR,
          'RESPONSE_CONTRACT_BROKEN',
          'The response does not match its documented schema.',
          {
            errors: result.error.issues.map((issue) => ({
              path: issue.path.join('.'),
              message: issue.message,
            })),
          },
        );
      }),
    );
  }
}
