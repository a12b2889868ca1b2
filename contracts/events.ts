import { z } from 'zod';
import { SCHEMA_VERSIONS } from './event-envelope';
import { CURRENCY, MAX_DRINKS_PER_ORDER } from './menu';
import { STATIONS } from './names';
import { drinkSchema, placeOrderSchema } from './order-input';

/*
 * The order events published to Kafka, past tense, one discriminated union, each type at its current version.
 * Every event carries the same envelope; `sequence` is assigned by the order's workflow (1, 2, 3, ...) and
 * `eventId` derives from order id and sequence, so a retried publish is the same event. Older versions of an
 * event are frozen in `events.v<N>.ts` and upcast when read (contracts/upcasters.ts), never rewritten.
 */

export { orderEventOf, orderPlacedData, SCHEMA_VERSIONS } from './event-envelope';

/** An event's schema: the envelope with its type, its version and its data. */
export function eventSchema<Type extends string, Version extends number, Data extends z.ZodType>(type: Type, version: Version, data: Data) {
  return z.strictObject({
    eventId: z.string().min(1),
    orderId: z.uuid(),
    sequence: z.number().int().positive(),
    type: z.literal(type),
    schemaVersion: z.literal(version),
    occurredAt: z.iso.datetime(),
    data,
  });
}

function event<Type extends keyof typeof SCHEMA_VERSIONS, Data extends z.ZodType>(type: Type, data: Data) {
  return eventSchema(type, SCHEMA_VERSIONS[type], data);
}

/** A drink as ordered, with what it cost in cents. */
export const pricedDrinkSchema = z.strictObject({ ...drinkSchema.shape, priceCents: z.number().int().nonnegative() });

/**
 * Version 2: the order as placed (contracts/order-input.ts), each drink with its price (version 1, without, is
 * in events.v1.ts). A field added to the order's input is in this event too: an optional one needs no new
 * version; a name is only checked to be there, so a rule tightened for new orders never refuses an old event.
 */
export const orderPlacedEvent = event(
  'OrderPlaced',
  z.strictObject({ ...placeOrderSchema.shape, customerId: z.string().min(1), drinks: z.array(pricedDrinkSchema).min(1).max(MAX_DRINKS_PER_ORDER) }),
);

export const stationEstimateSchema = z.strictObject({
  labelSeconds: z.number().nonnegative(),
  mixingSeconds: z.number().nonnegative(),
  toppingSeconds: z.number().nonnegative(),
});

export const stationSchema = z.enum(STATIONS);

export const cupLabelledEvent = event('CupLabelled', z.strictObject({ estimate: stationEstimateSchema }));
export const teaMixedEvent = event('TeaMixed', z.strictObject({}));
export const orderToppedEvent = event('OrderTopped', z.strictObject({}));
/** A stage took longer than its SLA; the order goes on. At most once per stage. */
export const orderDelayedEvent = event('OrderDelayed', z.strictObject({ stage: stationSchema, slaSeconds: z.number().nonnegative() }));
/** The customer cancelled before mixing started. */
export const orderCancelledEvent = event('OrderCancelled', z.strictObject({ reason: z.string().min(1) }));
/** A station failed for good, or the order's hard deadline passed. */
export const orderFailedEvent = event('OrderFailed', z.strictObject({ stage: stationSchema.nullable(), reason: z.string().min(1) }));
const cents = z.number().int().nonnegative();
const currency = z.literal(CURRENCY);

/** The order's total was charged, before any station began on it. */
export const orderPaidEvent = event('OrderPaid', z.strictObject({ paymentId: z.string().min(1), amountCents: cents, currency }));
/** The payment was declined: nothing was charged and the order ends here, before any station. */
export const paymentDeclinedEvent = event('PaymentDeclined', z.strictObject({ reason: z.string().min(1) }));
/**
 * Version 2: the compensation of a cancelled or failed order, with the refund of what was charged (its id and
 * amount); `refundId` is null when nothing had been charged (version 1, without, is in events.v1.ts).
 */
export const orderRefundedEvent = event(
  'OrderRefunded',
  z.strictObject({ reason: z.string().min(1), refundId: z.string().min(1).nullable(), amountCents: cents, currency }),
);

export const orderEventSchema = z.discriminatedUnion('type', [
  orderPlacedEvent,
  cupLabelledEvent,
  teaMixedEvent,
  orderToppedEvent,
  orderPaidEvent,
  paymentDeclinedEvent,
  orderDelayedEvent,
  orderCancelledEvent,
  orderFailedEvent,
  orderRefundedEvent,
]);

export type OrderEvent = z.infer<typeof orderEventSchema>;
export type OrderEventType = OrderEvent['type'];
export type OrderEventOf<Type extends OrderEventType> = Extract<OrderEvent, { type: Type }>;
export type StationEstimate = z.infer<typeof stationEstimateSchema>;
export type PricedDrink = z.infer<typeof pricedDrinkSchema>;
