import type { IncomingMessage } from 'node:http';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { apiError } from './api-error';

/* What a request says about its body, before the body parser has (or has not) read it. */

export function isJson(request: IncomingMessage): boolean {
  const mediaType = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  return mediaType === 'application/json';
}

/** An empty body is no body, whatever its Content-Type says. */
export function hasBody(request: IncomingMessage): boolean {
  return request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;
}

/**
 * A 415 for a body that is not JSON, before the body's pipe reads what the parser left (nothing, for another
 * type). With `optional`, a request without a body passes too.
 */
export class JsonBodyGuard implements CanActivate {
  constructor(readonly optional = false) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<IncomingMessage>();
    if ((!this.optional || hasBody(request)) && !isJson(request)) throw apiError(415, 'Content-Type must be application/json');
    return true;
  }
}

export const JSON_BODY = new JsonBodyGuard();
export const OPTIONAL_JSON_BODY = new JsonBodyGuard(true);
