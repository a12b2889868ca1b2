import { STATUS_CODES } from 'node:http';
import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter, type HttpServer } from '@nestjs/common';
import { isGrpcServiceError } from '@temporalio/client';
import type { Logger } from 'pino';
import { RETRY_AFTER_SECONDS, type ApiErrorBody } from './api-error';
import { ReadModelUnavailableError } from '../projections/order-reader';

export const BODY_LIMIT = '64kb';

interface ErrorAnswer {
  status: number;
  body: ApiErrorBody & Record<string, unknown>;
}

const GRPC_UNAVAILABLE = 14;
const GRPC_DEADLINE_EXCEEDED = 4;

/**
 * The last word on every error: a client's mistake gets its 4xx with a clear message, anything else a
 * logged 500 that tells the client nothing about the inside.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  constructor(
    private readonly logger: Logger,
    private readonly http: HttpServer,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<unknown>();
    const answer = this.answerFor(exception);
    if (this.http.isHeadersSent(response)) {
      this.logger.error({ err: exception }, 'error after the response was sent');
      return;
    }
    if (answer.status === 503) this.http.setHeader(response, 'Retry-After', String(RETRY_AFTER_SECONDS));
    this.http.reply(response, answer.body, answer.status);
  }

  private answerFor(exception: unknown): ErrorAnswer {
    const bodyParserAnswer = answerForBodyParserError(exception instanceof HttpException ? exception.cause : exception);
    if (bodyParserAnswer) return bodyParserAnswer;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status >= 500 && exception.cause !== undefined) this.logger.error({ err: exception.cause, status }, 'request failed');
      return { status, body: bodyOf(exception.getResponse(), status) };
    }
    if (exception instanceof ReadModelUnavailableError) {
      this.logger.warn({ err: exception.cause }, 'read model unavailable');
      return { status: 503, body: { message: 'Orders cannot be read right now; please retry shortly' } };
    }
    if (temporalUnreachable(exception)) {
      this.logger.error({ err: exception }, 'Temporal did not answer');
      return { status: 503, body: { message: 'The order service is temporarily unavailable; please retry shortly' } };
    }
    this.logger.error({ err: exception }, 'unexpected error');
    return { status: 500, body: { message: 'Internal server error' } };
  }
}

/** The client wraps some gRPC errors (start: "Failed to start Workflow"), so the whole cause chain is searched. */
function temporalUnreachable(error: unknown): boolean {
  let cause = error;
  for (let depth = 0; cause instanceof Error && depth < 5; depth++, cause = cause.cause) {
    if (isGrpcServiceError(cause) && (cause.code === GRPC_UNAVAILABLE || cause.code === GRPC_DEADLINE_EXCEEDED)) return true;
  }
  return false;
}

/** Errors from body-parser and Express carry a status (http-errors) and, from body-parser, a `type`. */
function answerForBodyParserError(error: unknown): ErrorAnswer | undefined {
  if (!(error instanceof Error)) return undefined;
  if (error instanceof URIError) return { status: 400, body: { message: 'The URL has a malformed percent-encoding' } };
  const { type, status, expose } = error as Error & { type?: unknown; status?: unknown; expose?: unknown };
  if (typeof status !== 'number' || status < 400 || status >= 500) return undefined;
  switch (type) {
    case 'entity.too.large':
      return { status: 413, body: { message: `Request body too large: at most ${BODY_LIMIT}` } };
    case 'entity.parse.failed':
      return { status: 400, body: { message: 'Request body is not valid JSON' } };
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return { status: 415, body: { message: error.message } };
    default:
      return { status, body: { message: expose === true ? error.message : (STATUS_CODES[status] ?? 'Bad request') } };
  }
}

/** Our own exceptions carry `{ message, errors? }`; Nest's built-in ones add `statusCode` and `error`, dropped here. */
function bodyOf(response: string | object, status: number): ErrorAnswer['body'] {
  if (typeof response === 'string') return { message: response };
  const { statusCode: _statusCode, error: _error, message, ...rest } = response as Record<string, unknown>;
  const text = Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : (STATUS_CODES[status] ?? 'Error');
  return { message: text, ...rest };
}
