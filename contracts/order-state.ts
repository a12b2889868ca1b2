import type { StationEstimate } from './events';
import { CURRENCY, type Currency } from './menu';
import type { PlaceOrder } from './order-input';
import type { Station } from './names';

/**
 * An order as its events leave it: one flat shape, the same for the workflow's query, the read model and the
 * API, typed as a union keyed by `status` so that what a status cannot have is `null` in its type (a ready
 * order has its three stage times; a cancelled one its reason; a declined one no payment). Display text is
 * not state: contracts/order-status-text.ts words each status at the edges.
 */

export const ORDER_STATUS_NAMES = ['placed', 'labelled', 'mixed', 'ready', 'delayed', 'cancelled', 'failed', 'refunded', 'declined'] as const;
export type OrderStatus = (typeof ORDER_STATUS_NAMES)[number];

/** Statuses after which nothing more happens to the order. */
export const FINAL_STATUSES: ReadonlySet<OrderStatus> = new Set(['ready', 'refunded', 'declined']);

export interface OrderDelay {
  stage: Station;
  slaSeconds: number;
  at: string;
}

/** What every order has, whatever its status: what the customer ordered (PlaceOrder), and more. */
interface OrderFacts extends PlaceOrder {
  orderId: string;
  placedAt: string;
  /** What the drinks cost together when ordered, in minor units of `currency`. */
  totalCents: number;
  currency: Currency;
  /** Set once the total was charged: the provider's payment id and the amount taken (orders from before payments have none). */
  paymentId: string | null;
  paidCents: number | null;
  /** True once any stage has breached its SLA, even after the order caught up. */
  slaBreached: boolean;
  delays: OrderDelay[];
  lastSequence: number;
}

/** How far the stations got. */
type NotLabelled = { estimate: null; labelledAt: null; mixedAt: null; readyAt: null };
type Labelled = { estimate: StationEstimate; labelledAt: string; mixedAt: null; readyAt: null };
type Mixed = { estimate: StationEstimate; labelledAt: string; mixedAt: string; readyAt: null };
type Made = { estimate: StationEstimate; labelledAt: string; mixedAt: string; readyAt: string };
/** Where an order that did not end ready can be. */
type Unmade = NotLabelled | Labelled | Mixed;

/** How it ended, if not ready. */
type NotEnded = { cancelledAt: null; cancellationReason: null; failedAt: null; failureReason: null };
type Cancellation = { cancelledAt: string; cancellationReason: string; failedAt: null; failureReason: null };
type Failure = { cancelledAt: null; cancellationReason: null; failedAt: string; failureReason: string };
type NotRefunded = { refundedAt: null; refundId: null; refundedCents: null };
/** `refundId` is null when nothing had been charged. */
type Refund = { refundedAt: string; refundId: string | null; refundedCents: number };
type NotDeclined = { declineReason: null };

type Order<Status extends OrderStatus, Rest> = OrderFacts & Rest & { status: Status };

export type PlacedOrder = Order<'placed', NotLabelled & NotEnded & NotRefunded & NotDeclined>;
export type LabelledOrder = Order<'labelled', Labelled & NotEnded & NotRefunded & NotDeclined>;
export type MixedOrder = Order<'mixed', Mixed & NotEnded & NotRefunded & NotDeclined>;
export type ReadyOrder = Order<'ready', Made & NotEnded & NotRefunded & NotDeclined>;
/** A stage outlasted its SLA: the order goes on from wherever it was. */
export type DelayedOrder = Order<'delayed', Unmade & NotEnded & NotRefunded & NotDeclined>;
export type DeclinedOrder = Order<'declined', NotLabelled & NotEnded & NotRefunded & { declineReason: string; paymentId: null; paidCents: null }>;
export type CancelledOrder = Order<'cancelled', Unmade & Cancellation & NotRefunded & NotDeclined>;
export type FailedOrder = Order<'failed', Unmade & Failure & NotRefunded & NotDeclined>;
export type RefundedOrder = Order<'refunded', Unmade & (Cancellation | Failure) & Refund & NotDeclined>;

export type OrderState =
  | PlacedOrder
  | LabelledOrder
  | MixedOrder
  | ReadyOrder
  | DelayedOrder
  | DeclinedOrder
  | CancelledOrder
  | FailedOrder
  | RefundedOrder;

/** An order still being made: the stations may go on with it. */
export type OrderInProgress = PlacedOrder | LabelledOrder | MixedOrder | DelayedOrder;

export function isInProgress(order: OrderState): order is OrderInProgress {
  return order.status === 'placed' || order.status === 'labelled' || order.status === 'mixed' || order.status === 'delayed';
}

/** An order just placed, before any station: what OrderPlaced folds into. */
export function placedOrderState(order: PlaceOrder & Pick<OrderFacts, 'orderId' | 'placedAt' | 'totalCents'>, lastSequence = 1): PlacedOrder {
  return {
    ...order,
    status: 'placed',
    currency: CURRENCY,
    paymentId: null,
    paidCents: null,
    slaBreached: false,
    delays: [],
    lastSequence,
    estimate: null,
    labelledAt: null,
    mixedAt: null,
    readyAt: null,
    cancelledAt: null,
    cancellationReason: null,
    failedAt: null,
    failureReason: null,
    refundedAt: null,
    refundId: null,
    refundedCents: null,
    declineReason: null,
  };
}
