import { describe, expect, it } from 'vitest';
import { orderEventSchema } from './events';
import type { OrderPlacedV1 } from './events.v1';
import { eventIdOf } from './ids';
import { orderPlacedV1ToV2, parseOrderEvent, storedOrderEvent, upcastOrderEvent } from './upcasters';

const orderId = '3f6c2a9e-5b1d-4c7e-8a2f-9d0e1b2c3a4f';
const placedV1: OrderPlacedV1 = {
  eventId: eventIdOf(orderId, 1),
  orderId,
  sequence: 1,
  type: 'OrderPlaced',
  schemaVersion: 1,
  occurredAt: '2026-11-20T09:00:00.000Z',
  data: {
    customerId: 'alice',
    drinks: [
      { tea: 'Oolong', sugar: 50, pearl: 'Black Pearl', topping: 'Taro' },
      { tea: 'Black', sugar: 0, pearl: 'None' },
    ],
  },
};

describe('orderPlacedV1ToV2', () => {
  it('given OrderPlaced v1, then v2 prices each drink from the launch price list and keeps everything else', () => {
    const upcast = orderPlacedV1ToV2(placedV1);
    expect(upcast).toEqual({
      ...placedV1,
      schemaVersion: 2,
      data: {
        customerId: 'alice',
        drinks: [
          { tea: 'Oolong', sugar: 50, pearl: 'Black Pearl', topping: 'Taro', priceCents: 500 + 50 + 75 },
          { tea: 'Black', sugar: 0, pearl: 'None', priceCents: 450 },
        ],
      },
    });
    expect(orderEventSchema.safeParse(upcast).success).toBe(true);
  });

  it('leaves its input as it was', () => {
    const before = structuredClone(placedV1);
    orderPlacedV1ToV2(placedV1);
    expect(placedV1).toEqual(before);
  });
});

describe('parseOrderEvent', () => {
  it('reads v1 JSON as the current version', () => {
    expect(parseOrderEvent(JSON.parse(JSON.stringify(placedV1)))).toEqual({ success: true, data: orderPlacedV1ToV2(placedV1) });
  });

  it('reads the current version as it is', () => {
    const current = orderPlacedV1ToV2(placedV1);
    expect(parseOrderEvent(current)).toEqual({ success: true, data: current });
  });

  it('refuses a v1 event that breaks its own frozen schema, naming the field', () => {
    const parsed = parseOrderEvent({ ...placedV1, data: { ...placedV1.data, drinks: [{ tea: 'Coffee', sugar: 0, pearl: 'None' }] } });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['data', 'drinks', 0, 'tea']);
  });

  it('refuses a version that never existed', () => {
    expect(parseOrderEvent({ ...placedV1, schemaVersion: 3 }).success).toBe(false);
    expect(parseOrderEvent({ ...placedV1, type: 'TeaMixed', schemaVersion: 0, data: {} }).success).toBe(false);
  });

  it('refuses v2 data under a v1 label and the reverse', () => {
    expect(parseOrderEvent({ ...orderPlacedV1ToV2(placedV1), schemaVersion: 1 }).success).toBe(false);
    expect(parseOrderEvent({ ...placedV1, schemaVersion: 2 }).success).toBe(false);
  });

  it('storedOrderEvent throws for what is not an event', () => {
    expect(() => storedOrderEvent({ type: 'OrderPlaced' })).toThrow(/no longer readable/);
  });
});

describe('upcastOrderEvent', () => {
  it('brings a typed v1 event to the current version and leaves a current one alone', () => {
    expect(upcastOrderEvent(placedV1)).toEqual(orderPlacedV1ToV2(placedV1));
    const current = orderPlacedV1ToV2(placedV1);
    expect(upcastOrderEvent(current)).toBe(current);
  });
});
