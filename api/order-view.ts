import { z } from 'zod';
import { stationEstimateSchema, stationSchema } from '../contracts/events';
import { CURRENCY } from '../contracts/menu';
import { placeOrderSchema } from '../contracts/order-input';
import { FINAL_STATUSES, ORDER_STATUS_NAMES, type OrderState } from '../contracts/order-state';
import { canCancel } from '../contracts/order-decider';
import { ORDER_STATUS_TEXT, withStatusDisplay, type StatusDisplay } from '../contracts/order-status-text';
import { orderWorkflowId } from '../contracts/ids';
import type { OrderPage } from '../projections/order-reader';
import type { TemporalUiSettings } from './api-deps';
import { readyEstimate, readyEstimateSchema } from './order-estimate';

/* What `GET /orders/:id` answers: the order's state plus where to find it and its workflow. */

const isoDateTime = z.iso.datetime({ offset: true });

const quoted = (status: string) => `\`${status}\``;
const statusList = ORDER_STATUS_NAMES.map((status) => `${quoted(status)} (${ORDER_STATUS_TEXT[status].code})`).join(', ');
const finalStatuses = [...FINAL_STATUSES].map(quoted).join(' and ');

export const orderDelaySchema = z
  .object({
    stage: stationSchema,
    slaSeconds: z.number().nonnegative(),
    at: isoDateTime,
  })
  .meta({ description: 'A stage that outlasted its SLA, the SLA it had, and when the breach was noticed.' });

export const orderStateSchema = z
  .object({
    orderId: z.uuid(),
    // What the customer ordered, as they placed it (a field added there is shown here too).
    ...placeOrderSchema.shape,
    status: z.enum(ORDER_STATUS_NAMES).meta({ description: `One of ${statusList}; ${finalStatuses} are final.` }),
    statusCode: z.number().int().meta({ description: 'The status as a number (see `status`).' }),
    statusText: z.string().meta({ description: 'The status as the customer reads it.' }),
    estimate: stationEstimateSchema.nullable(),
    placedAt: isoDateTime,
    labelledAt: isoDateTime.nullable(),
    mixedAt: isoDateTime.nullable(),
    readyAt: isoDateTime.nullable(),
    slaBreached: z.boolean().meta({ description: 'True once any stage outlasted its SLA, even if the order caught up later.' }),
    delays: z.array(orderDelaySchema),
    cancelledAt: isoDateTime.nullable(),
    cancellationReason: z.string().nullable(),
    failedAt: isoDateTime.nullable(),
    failureReason: z.string().nullable(),
    refundedAt: isoDateTime.nullable(),
    totalCents: z.number().int().nonnegative().meta({ description: 'What the drinks cost together when ordered, in cents of `currency`.', example: 1175 }),
    currency: z.literal(CURRENCY),
    paymentId: z.string().nullable().meta({ description: 'The payment provider’s id of the charge, once the total was charged.' }),
    paidCents: z.number().int().nonnegative().nullable(),
    declineReason: z.string().nullable().meta({ description: 'Why the payment was declined, for a `declined` order.' }),
    refundId: z.string().nullable().meta({ description: 'The provider’s id of the refund; null when nothing had been charged.' }),
    refundedCents: z.number().int().nonnegative().nullable(),
    lastSequence: z.number().int().nonnegative(),
  })
  .meta({ description: 'An order as the read model (or, until it catches up, the workflow) knows it.' });

export const orderLinksSchema = z.object({
  self: z.string(),
  workflow: z.url().optional().meta({ description: 'The order’s workflow in the Temporal Web UI, when the UI is known.' }),
});

export const orderViewSchema = orderStateSchema
  .extend({
    readyEstimate: readyEstimateSchema.nullable(),
    cancellable: z.boolean().meta({ description: 'A cancellation would be taken now: until mixing starts, also while the payment is being taken.' }),
    links: orderLinksSchema,
  })
  .meta({ description: 'An order’s state, when it should be ready, whether it can still be cancelled, and links to itself and to its workflow.' });

export type OrderView = z.infer<typeof orderViewSchema>;

/** A page of orders as the API lists them: the reader's page, each order with its status in words. */
export type OrderListView = Omit<OrderPage, 'orders'> & { orders: Array<OrderState & StatusDisplay> };

/** What an order's view is made with besides its state: where its workflow is shown, and the shop's station speed. */
export interface OrderViewSettings extends TemporalUiSettings {
  /** The STATION_TIME_SCALE the shop runs with, which its time estimates follow. */
  stationTimeScale: number;
}

// The schema documents OrderState with its status in words, so a change to either must show up here as a type
// error: the same fields, and every status's state fits the schema (the state's union is stricter than it).
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type DocumentedState = z.infer<typeof orderStateSchema>;
const documentedFieldsMatch: Same<keyof DocumentedState, keyof (OrderState & StatusDisplay)> = true;
const everyStateDocumented = (state: OrderState & StatusDisplay): DocumentedState => state;
void documentedFieldsMatch;
void everyStateDocumented;

export function orderPath(orderId: string): string {
  return `/orders/${orderId}`;
}

/** The order's workflow in the Temporal Web UI, when the UI is known. */
export function workflowLink(orderId: string, { temporalUiUrl, namespace }: TemporalUiSettings): string | undefined {
  return temporalUiUrl ? `${temporalUiUrl.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/${orderWorkflowId(orderId)}` : undefined;
}

export function toOrderView(state: OrderState, settings: OrderViewSettings): OrderView {
  const workflow = workflowLink(state.orderId, settings);
  return {
    ...withStatusDisplay(state),
    readyEstimate: readyEstimate(state, settings.stationTimeScale),
    cancellable: canCancel(state),
    links: { self: orderPath(state.orderId), ...(workflow === undefined ? {} : { workflow }) },
  };
}
