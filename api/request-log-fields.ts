import type { IncomingMessage, ServerResponse } from 'node:http';
import { normalOrderId } from '../contracts/ids';

const ORDER_PATH = /^\/orders\/([0-9a-fA-F-]{36})(?:[/?]|$)/;

/** The order a request was about, for its log line: from the path, or for a new order from its `Location`. */
export function orderIdOfRequest(request: IncomingMessage & { originalUrl?: string }, response: ServerResponse): string | undefined {
  const fromPath = ORDER_PATH.exec(request.originalUrl ?? request.url ?? '')?.[1];
  if (fromPath) return normalOrderId(fromPath);
  const location = response.getHeader('location');
  return typeof location === 'string' ? ORDER_PATH.exec(location)?.[1] : undefined;
}
