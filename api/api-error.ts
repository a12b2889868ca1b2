import { HttpException } from '@nestjs/common';
import type { FieldProblem } from '../contracts/order-input';

/** Every error the API answers has this body: a sentence for people and, for bad input, one entry per field. */
export interface ApiErrorBody {
  message: string;
  errors?: FieldProblem[];
}

export function apiError(status: number, message: string, errors?: FieldProblem[]): HttpException {
  const body: ApiErrorBody = errors === undefined ? { message } : { message, errors };
  return new HttpException(body, status);
}

export function orderNotFound(orderId: string): HttpException {
  return apiError(404, `Order ${orderId} not found`);
}

/** Every 503 is worth retrying and says when (Retry-After): about the time a restarting server needs. */
export const RETRY_AFTER_SECONDS = 5;

/** A 503 the client may retry; the cause is logged, never sent. */
export function serviceUnavailable(message: string, cause: unknown): HttpException {
  const body: ApiErrorBody = { message };
  return new HttpException(body, 503, { cause });
}
