import type { OrderEvent } from '../contracts/events';
import type { OrderState } from '../contracts/order-state';

/* A batch of events as the projector hands it to the projection (projections/apply-event.ts), and what became of each. */

/** Where the event was read from, kept with the stored event for tracing. */
export interface KafkaPosition {
  partition: number;
  offset: string;
}

export interface PositionedEvent {
  event: OrderEvent;
  position: KafkaPosition;
  /** W3C trace context of the event's apply span, passed on in its announcement (tracing only). */
  traceparent?: string;
  /** The event as the log holds it, when an older version than `event`: stored as it is, never rewritten. */
  asLogged?: unknown;
}

/**
 * 'duplicate': already applied, ignored. 'gap': an earlier event of the order is missing, nothing was written
 * for it. 'parked': its order is parked (projections/parking.ts), so it was kept there, not applied.
 */
export type ApplyOutcome = 'applied' | 'duplicate' | 'gap' | 'parked';

/** An event the read model has committed, with the order as it is after it. */
export interface AppliedEvent {
  event: OrderEvent;
  state: OrderState;
}

export interface ApplyOptions {
  /** False: no NOTIFY for the applied events (a rebuild's copy, which nobody follows live). */
  announce?: boolean;
  /** Called after the commit with what was applied (the projector's metrics count each fact there, once). */
  onCommitted?: (applied: readonly AppliedEvent[]) => void;
}
