import { describe, expect, it } from 'vitest';
import { placedOrderState } from './order-state';
import { ORDER_STATUS_TEXT, withStatusDisplay } from './order-status-text';

describe('the status in words (display at the edges)', () => {
  it('gives every status its own code and a customer-facing text; the main path climbs', () => {
    const codes = Object.values(ORDER_STATUS_TEXT).map((status) => status.code);
    expect(new Set(codes).size).toBe(codes.length);
    const mainPath = (['placed', 'labelled', 'mixed', 'ready'] as const).map((status) => ORDER_STATUS_TEXT[status].code);
    expect(mainPath).toEqual([...mainPath].sort((a, b) => a - b));
    for (const status of Object.values(ORDER_STATUS_TEXT)) expect(status.text.length).toBeGreaterThan(10);
  });

  it('adds the words to an order as the API answers it', () => {
    const order = placedOrderState({ orderId: 'o', customerId: 'alice', drinks: [], placedAt: '2026-11-23T10:00:00.000Z', totalCents: 0 });
    expect(withStatusDisplay(order)).toEqual({ ...order, statusCode: 100, statusText: 'Order received, your labels are being printed' });
  });
});
