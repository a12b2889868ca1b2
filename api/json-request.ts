import type { IncomingMessage } from 'node:http';

/* What a request says about its body, before the body parser has (or has not) read it. */

export function isJson(request: IncomingMessage): boolean {
  const mediaType = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  return mediaType === 'application/json';
}

/** An empty body is no body, whatever its Content-Type says. */
export function hasBody(request: IncomingMessage): boolean {
  return request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;
}
