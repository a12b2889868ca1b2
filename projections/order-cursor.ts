import { isOrderId } from '../contracts/ids';
import { UnknownCursorError } from './order-reader';

/*
 * The opaque position after which the next page of orders starts: the last order's (placed_at, order_id),
 * placed_at written at microsecond precision, as PostgreSQL stores it, so no order is skipped or repeated.
 */

export interface OrderCursor {
  placedAt: string;
  orderId: string;
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
    throw new UnknownCursorError(text);
  }
  if (!Array.isArray(decoded) || decoded.length !== 2) throw new UnknownCursorError(text);
  const [placedAt, orderId] = decoded as unknown[];
  if (typeof placedAt !== 'string' || !TIMESTAMP.test(placedAt) || Number.isNaN(Date.parse(placedAt))) throw new UnknownCursorError(text);
  if (typeof orderId !== 'string' || !isOrderId(orderId)) throw new UnknownCursorError(text);
  return { placedAt, orderId };
}
