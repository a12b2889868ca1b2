import { randomUUID } from 'node:crypto';
import { orderEventSchema, orderPlacedData, SCHEMA_VERSIONS, type OrderEvent, type OrderEventOf, type OrderEventType } from '../../contracts/events';
import { eventIdOf } from '../../contracts/ids';
import type { Drink } from '../../contracts/order-input';

/*
 * Complete, valid event histories for test orders: the straight path (OrderPlaced, CupLabelled, TeaMixed,
 * OrderTopped) and, from `ALTERNATIVE_PATHS`, the late, cancelled and failed ones.
 */

const SAMPLE_DRINKS: Drink[][] = [
  [{ tea: 'Black', sugar: 50, pearl: 'Brown Sugar Pearl', topping: 'Matcha' }],
  [{ tea: 'Oolong', sugar: 0, pearl: 'None' }, { tea: 'Jasmine Green Tea', sugar: 100, pearl: 'Lychee Pearl', topping: 'Taro' }],
  [{ tea: 'Jasmine Green Tea', sugar: 25, pearl: 'Aloe Vera', topping: 'Strawberry' }],
];

export interface HistoryOptions {
  orderId?: string;
  customerId?: string;
  placedAt?: Date;
  drinks?: Drink[];
}

export function orderHistory(index: number, options: HistoryOptions = {}): OrderEvent[] {
  const orderId = options.orderId ?? randomUUID();
  const placedAt = options.placedAt ?? new Date(Date.UTC(2025, 0, 1, 9, 0, 0) + index * 60_000);
  const at = (seconds: number) => new Date(placedAt.getTime() + seconds * 1000).toISOString();
  const envelope = <Type extends OrderEventType>(type: Type, sequence: number, seconds: number) => ({
    eventId: eventIdOf(orderId, sequence),
    orderId,
    sequence,
    type,
    schemaVersion: SCHEMA_VERSIONS[type],
    occurredAt: at(seconds),
  });
  const drinks = options.drinks ?? SAMPLE_DRINKS[index % SAMPLE_DRINKS.length]!;
  const events: OrderEvent[] = [
    { ...envelope('OrderPlaced', 1, 0), data: orderPlacedData({ customerId: options.customerId ?? `customer-${index % 2}`, drinks }) },
    { ...envelope('CupLabelled', 2, 4.25), data: { estimate: { labelSeconds: 4, mixingSeconds: 6 + index, toppingSeconds: 3.5 } } },
    { ...envelope('TeaMixed', 3, 11), data: {} },
    { ...envelope('OrderTopped', 4, 15.125), data: {} },
  ];
  // The fixtures must themselves honour the contract, or a test could pass for the wrong reason.
  return events.map((event) => orderEventSchema.parse(event));
}

/** An event without its envelope: what happened, not to which order, when or as which number. */
export type EventStep = { [Type in OrderEventType]: Pick<OrderEventOf<Type>, 'type' | 'data'> }[OrderEventType];

const LABELLED: EventStep = { type: 'CupLabelled', data: { estimate: { labelSeconds: 4, mixingSeconds: 6, toppingSeconds: 3.5 } } };

export type AlternativePath = 'placed, labelled, delayed, mixed, ready' | 'placed, cancelled, refunded' | 'placed, labelled, failed, refunded';

/** The steps after OrderPlaced of every path an order can take besides the straight one. */
export const ALTERNATIVE_PATHS: Record<AlternativePath, EventStep[]> = {
  'placed, labelled, delayed, mixed, ready': [
    LABELLED,
    { type: 'OrderDelayed', data: { stage: 'mix', slaSeconds: 11 } },
    { type: 'TeaMixed', data: {} },
    { type: 'OrderTopped', data: {} },
  ],
  'placed, cancelled, refunded': [
    { type: 'OrderCancelled', data: { reason: 'changed my mind' } },
    { type: 'OrderRefunded', data: { reason: 'changed my mind', refundId: null, amountCents: 0, currency: 'USD' } },
  ],
  'placed, labelled, failed, refunded': [
    LABELLED,
    { type: 'OrderFailed', data: { stage: 'mix', reason: 'the mix station is out of Oolong' } },
    { type: 'OrderRefunded', data: { reason: 'the mix station is out of Oolong', refundId: null, amountCents: 0, currency: 'USD' } },
  ],
};

/** OrderPlaced followed by `steps`, 2.5 s apart. */
export function orderHistoryOf(index: number, steps: EventStep[], options: HistoryOptions = {}): OrderEvent[] {
  const [placed] = orderHistory(index, options);
  const placedAt = Date.parse(placed!.occurredAt);
  const later = steps.map((step, position) => ({
    ...step,
    eventId: eventIdOf(placed!.orderId, position + 2),
    orderId: placed!.orderId,
    sequence: position + 2,
    schemaVersion: SCHEMA_VERSIONS[step.type],
    occurredAt: new Date(placedAt + (position + 1) * 2500).toISOString(),
  }));
  return [placed!, ...later.map((event) => orderEventSchema.parse(event))];
}

/** A deterministic pseudo-random generator, so a shuffled run can be reproduced from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Merges the queues at random while keeping each queue's own order, as keyed messages keep theirs in a partition. */
export function interleave<Item>(queues: Item[][], random: () => number): Item[] {
  const remaining = queues.map((queue) => [...queue]).filter((queue) => queue.length > 0);
  const merged: Item[] = [];
  while (remaining.length > 0) {
    const index = Math.floor(random() * remaining.length);
    const queue = remaining[index]!;
    merged.push(queue.shift()!);
    if (queue.length === 0) remaining.splice(index, 1);
  }
  return merged;
}
