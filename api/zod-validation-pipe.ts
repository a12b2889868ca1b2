import { createParamDecorator, type ExecutionContext, type PipeTransform } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import { fieldProblems } from '../contracts/order-input';
import { apiError } from './api-error';

/*
 * Every body, query string and header a controller takes is validated by its zod schema in a pipe, before the
 * handler runs: a 400 with one problem per field otherwise. The OpenAPI document reads the same pipes (openapi.ts),
 * so what is documented is what is validated.
 */

export interface ZodValidationOptions {
  /** The request header validated (its problems name it); the document lists it as a header parameter. */
  header?: string;
  /** What an absent value is validated as: an optional body (an absent one is `{}`). */
  absentAs?: unknown;
}

/** A pipe whose schema the OpenAPI document shows for the argument it checks. */
export interface DocumentedPipe extends PipeTransform {
  readonly schema: z.ZodType;
  readonly options?: ZodValidationOptions;
}

export class ZodValidationPipe<Schema extends z.ZodType> implements DocumentedPipe {
  constructor(
    readonly schema: Schema,
    /** The answer's message, such as `Invalid order`. */
    private readonly message: string,
    readonly options: ZodValidationOptions = {},
  ) {}

  transform(value: unknown): z.output<Schema> {
    const parsed = this.schema.safeParse(value === undefined && 'absentAs' in this.options ? this.options.absentAs : value);
    if (parsed.success) return parsed.data;
    const problems = fieldProblems(parsed.error);
    const { header } = this.options;
    throw apiError(400, this.message, header === undefined ? problems : problems.map((problem) => ({ ...problem, field: header })));
  }
}

/** One request header, as sent (undefined when absent); validate it with a ZodValidationPipe whose `header` names it. */
export const RequestHeader = createParamDecorator((name: string, context: ExecutionContext) => {
  const value = context.switchToHttp().getRequest<IncomingMessage>().headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
});
