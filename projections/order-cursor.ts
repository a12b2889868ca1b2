import { isOrderId } from '../contracts/ids';

/**
 * The opaque position after which the next page of orders starts: the last order's (placed_at, order_id),
 * placed_at written at microsecond precision, as PostgreSQL stores it, so no order is skipped or repeated.
 */

export interface OrderCursor {
  placedAt: string;
  orderId: string;
}

export class InvalidCursorError extends Error {
  constructor(cursor: string) {
    super(`'${cursor}' is not a cursor returned by this API`);
    this.name = 'InvalidCursorError';
  }
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

export function encodeCursor(cursor: OrderCursor): string {
  return Buffer.from(JSON.stringify([cursor.placedAt, cursor.orderId]), 'utf8').toString('base64url');
}

export function decodeCursor(text: string): OrderCursor {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError(text);
  }
  if (!Array.isArray(decoded) || decoded.length !== 2) throw new InvalidCursorError(text);
  const [placedAt, orderId] = decoded as unknown[];
  if (typeof placedAt !== 'string' || !TIMESTAMP.test(placedAt) || Number.isNaN(Date.parse(placedAt))) throw new InvalidCursorError(text);
  if (typeof orderId !== 'string' || !isOrderId(orderId)) throw new InvalidCursorError(text);
  return { placedAt, orderId };
}
