import { randomUUID } from 'node:crypto';
import type { ClientBase } from 'pg';
import { orderEventOf, orderEventSchema, type OrderEvent, type OrderEventOf, type OrderEventType } from '../../../contracts/events';
import { drinkPriceCents } from '../../../contracts/menu';
import type { Drink } from '../../../contracts/order-input';
import { applyEvents } from '../../apply-event';

/**
 * A small shop day whose every report was worked out by hand (see reports.int.spec.ts): eight orders placed on
 * 2025-01-01 between 09:00 and 10:40 UTC, each paid half a second after it was placed (its price by the menu),
 * five ready (two of them late), one failed, one cancelled (both refunded what they paid), one still at the
 * mixer. Stage times are whole seconds, so each percentile is easy to check on paper.
 */

type Step = { [Type in OrderEventType]: { at: number; type: Type; data: OrderEventOf<Type>['data'] } }[OrderEventType];

export interface OrderPlan {
  customerId: string;
  placedAt: string;
  drinks: Drink[];
  /** What happened after OrderPlaced, in seconds after it. */
  steps: Step[];
}

const labelled = (at: number): Step => ({ at, type: 'CupLabelled', data: { estimate: { labelSeconds: 2, mixingSeconds: 5, toppingSeconds: 2 } } });
const mixed = (at: number): Step => ({ at, type: 'TeaMixed', data: {} });
const ready = (at: number): Step => ({ at, type: 'OrderTopped', data: {} });
const delayed = (at: number, stage: 'label' | 'mix' | 'top', slaSeconds: number): Step => ({ at, type: 'OrderDelayed', data: { stage, slaSeconds } });

/** Paid half a second after it was placed: the amount is the order's price, filled in by `eventsOfPlan`. */
const paid = (at = 0.5): Step => ({ at, type: 'OrderPaid', data: { paymentId: 'payment', amountCents: -1, currency: 'USD' } });
const refunded = (at: number, reason: string, amountCents: number): Step => ({ at, type: 'OrderRefunded', data: { reason, refundId: `refund-${at}`, amountCents, currency: 'USD' } });

const BSP_MATCHA: Drink = { tea: 'Black', sugar: 50, pearl: 'Brown Sugar Pearl', topping: 'Matcha' };

/** A to H: label, mix and top seconds of each ready order are in its comment. */
export const REPORT_DAY: Record<'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G' | 'H', OrderPlan> = {
  // 2 / 4 / 1, placed to ready 7
  A: { customerId: 'alice', placedAt: '2025-01-01T09:00:00.000Z', drinks: [BSP_MATCHA], steps: [paid(), labelled(2), mixed(6), ready(7)] },
  // 4 / 10 / 2, 16; late at the mixer
  B: {
    customerId: 'alice',
    placedAt: '2025-01-01T09:10:00.000Z',
    drinks: [{ tea: 'Oolong', sugar: 0, pearl: 'None' }, { tea: 'Black', sugar: 100, pearl: 'Black Pearl', topping: 'Taro' }],
    steps: [paid(), labelled(4), delayed(9, 'mix', 5), mixed(14), ready(16)],
  },
  // 1 / 3 / 6, 10; late at the top station
  C: { customerId: 'bob', placedAt: '2025-01-01T09:20:00.000Z', drinks: [BSP_MATCHA], steps: [paid(), labelled(1), mixed(4), delayed(8, 'top', 3), ready(10)] },
  // 3 / 5 / 1, 9
  D: {
    customerId: 'bob',
    placedAt: '2025-01-01T10:05:00.000Z',
    drinks: [
      { tea: 'Jasmine Green Tea', sugar: 25, pearl: 'Aloe Vera', topping: 'Strawberry' },
      { tea: 'Jasmine Green Tea', sugar: 25, pearl: 'Aloe Vera' },
      { tea: 'Oolong', sugar: 75, pearl: 'Lychee Pearl', topping: 'Chocolate' },
    ],
    steps: [paid(), labelled(3), mixed(8), ready(9)],
  },
  // 2 / 3 / 8, 13
  E: { customerId: 'carol', placedAt: '2025-01-01T10:15:00.000Z', drinks: [{ tea: 'Oolong', sugar: 100, pearl: 'None', topping: 'Taro' }], steps: [paid(), labelled(2), mixed(5), ready(13)] },
  // labelled in 2, late at the mixer, failed and refunded
  F: {
    customerId: 'carol',
    placedAt: '2025-01-01T10:20:00.000Z',
    drinks: [{ tea: 'Black', sugar: 0, pearl: 'Black Pearl' }],
    steps: [
      paid(),
      labelled(2),
      delayed(6, 'mix', 4),
      { at: 20, type: 'OrderFailed', data: { stage: 'mix', reason: 'the mix station is out of Black' } },
      refunded(21, 'the mix station is out of Black', 500),
    ],
  },
  // cancelled before its label, refunded
  G: {
    customerId: 'dave',
    placedAt: '2025-01-01T10:30:00.000Z',
    drinks: [{ tea: 'Oolong', sugar: 50, pearl: 'None' }],
    steps: [paid(), { at: 1, type: 'OrderCancelled', data: { reason: 'changed my mind' } }, refunded(2, 'changed my mind', 500)],
  },
  // labelled in 5, still at the mixer
  H: { customerId: 'dave', placedAt: '2025-01-01T10:40:00.000Z', drinks: [{ tea: 'Black', sugar: 75, pearl: 'Brown Sugar Pearl', topping: 'Taro' }], steps: [paid(), labelled(5)] },
};

/** The next day, an order whose payment was declined: nothing charged, nothing made. */
export const DECLINED_ORDER: OrderPlan = {
  customerId: 'erin',
  placedAt: '2025-01-02T09:00:00.000Z',
  drinks: [{ tea: 'Oolong', sugar: 50, pearl: 'None' }],
  steps: [{ at: 1, type: 'PaymentDeclined', data: { reason: 'card declined' } }],
};

/** The events of one planned order, valid by the contract. */
export function eventsOfPlan(plan: OrderPlan, orderId: string = randomUUID()): OrderEvent[] {
  const at = (seconds: number) => new Date(Date.parse(plan.placedAt) + seconds * 1000).toISOString();
  const price = plan.drinks.reduce((total, drink) => total + drinkPriceCents(drink), 0);
  const dataOf = (step: Step) => (step.type === 'OrderPaid' ? { ...step.data, amountCents: price } : step.data);
  const events = [
    orderEventOf(orderId, 1, 'OrderPlaced', { customerId: plan.customerId, drinks: plan.drinks.map((drink) => ({ ...drink, priceCents: drinkPriceCents(drink) })) }, plan.placedAt),
    ...plan.steps.map((step, index) => orderEventOf(orderId, index + 2, step.type, dataOf(step) as never, at(step.at))),
  ];
  return events.map((event) => orderEventSchema.parse(event));
}

/** Applies the plans with the projector's own code, as if read from one partition; returns each order's id. */
export async function applyPlans(client: ClientBase, plans: Record<string, OrderPlan>): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  const events = Object.entries(plans).flatMap(([name, plan]) => {
    ids[name] = randomUUID();
    return eventsOfPlan(plan, ids[name]);
  });
  await applyEvents(client, events.map((event, offset) => ({ event, position: { partition: 0, offset: String(offset) } })));
  return ids;
}
