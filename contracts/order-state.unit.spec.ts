import { describe, expect, it } from 'vitest';
import type { OrderEvent } from './events';
import { eventIdOf } from './ids';
import { evolve, ORDER_STATUSES, type OrderState } from './order-state';

const orderId = '6b7f1c1e-2a41-4f4e-9d43-2f1f0b6a9c10';
const drinks = [{ tea: 'Oolong', sugar: 50, pearl: 'Black Pearl', topping: 'Taro' }] as const;
const at = (second: number) => `2026-11-23T10:00:${String(second).padStart(2, '0')}.000Z`;

function envelope<Type extends OrderEvent['type']>(type: Type, sequence: number, data: Extract<OrderEvent, { type: Type }>['data']): OrderEvent {
  return { eventId: eventIdOf(orderId, sequence), orderId, sequence, type, schemaVersion: 1, occurredAt: at(sequence), data } as OrderEvent;
}

const placed = envelope('OrderPlaced', 1, { customerId: 'alice', drinks: [...drinks] });
const labelled = envelope('CupLabelled', 2, { estimate: { labelSeconds: 2, mixingSeconds: 9, toppingSeconds: 2 } });
const mixed = envelope('TeaMixed', 3, {});
const topped = envelope('OrderTopped', 4, {});

const fold = (events: OrderEvent[]) => events.reduce<OrderState | undefined>(evolve, undefined);

describe('evolve (the order fold shared by the workflow and the projector)', () => {
  it('given nothing, when the order is placed, then it is placed with the customer and drinks', () => {
    expect(fold([placed])).toEqual({
      orderId,
      customerId: 'alice',
      drinks,
      status: 'placed',
      statusCode: 100,
      statusText: ORDER_STATUSES.placed.text,
      estimate: null,
      placedAt: at(1),
      labelledAt: null,
      mixedAt: null,
      readyAt: null,
      lastSequence: 1,
    });
  });

  it('given a placed order, when it is labelled, then it carries the estimate and the label time', () => {
    expect(fold([placed, labelled])).toMatchObject({
      status: 'labelled',
      statusCode: 200,
      estimate: { labelSeconds: 2, mixingSeconds: 9, toppingSeconds: 2 },
      labelledAt: at(2),
      lastSequence: 2,
    });
  });

  it('given every step, then the order is ready with every stage timestamp', () => {
    expect(fold([placed, labelled, mixed, topped])).toMatchObject({
      status: 'ready',
      statusCode: 400,
      statusText: 'Your bubble tea is ready!',
      placedAt: at(1),
      labelledAt: at(2),
      mixedAt: at(3),
      readyAt: at(4),
      lastSequence: 4,
    });
  });

  it('refuses a step of an order it has never seen placed', () => {
    expect(() => evolve(undefined, mixed)).toThrow('TeaMixed #3 for order');
  });

  it('gives every status a code and a customer-facing text, in lifecycle order', () => {
    const codes = Object.values(ORDER_STATUSES).map((status) => status.code);
    expect(codes).toEqual([...codes].sort((a, b) => a - b));
    for (const status of Object.values(ORDER_STATUSES)) expect(status.text.length).toBeGreaterThan(10);
  });
});
