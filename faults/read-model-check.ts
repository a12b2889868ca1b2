import { isDeepStrictEqual } from 'node:util';
import type { OrderEvent } from '../contracts/events';
import { evolve } from '../contracts/order-decider';
import { FINAL_STATUSES, type OrderState } from '../contracts/order-state';

/* The suite's invariants over one run's orders, checked against the topic (the truth) and the read model. */

export interface OrderProblem {
  orderId: string;
  problem: string;
}

export interface ReadModelCheck {
  /** Accepted orders not in a terminal state in the read model after the drain (missing ones included). */
  lost: OrderProblem[];
  /** A (order, sequence) stored more than once in order_events. */
  doubleApplied: OrderProblem[];
  /** Read model rows that differ from the fold of the topic, and topic histories that cannot be folded. */
  mismatches: OrderProblem[];
  /** Orders checked: accepted ones and every other order of the run found in the topic or the read model. */
  ordersChecked: number;
}

export interface ReadModelCheckInput {
  acceptedOrderIds: readonly string[];
  topicEvents: readonly OrderEvent[];
  /** The `orders` rows of the run, read back as the read side reads them (their stored documents). */
  rows: ReadonlyMap<string, OrderState>;
  /** How many order_events rows each (order, sequence) has. */
  appliedEventRows: ReadonlyArray<{ orderId: string; sequence: number; rows: number }>;
}

/** One order's distinct events (a retried publish repeats one), or why they are not a history. */
export function historyOf(events: readonly OrderEvent[]): { history: OrderEvent[]; problem?: string } {
  const bySequence = new Map<number, OrderEvent>();
  for (const event of events) {
    const seen = bySequence.get(event.sequence);
    if (seen && !isDeepStrictEqual(seen, event)) return { history: [], problem: `two different events with sequence ${event.sequence} in the topic` };
    bySequence.set(event.sequence, event);
  }
  const history = [...bySequence.values()].sort((a, b) => a.sequence - b.sequence);
  const gap = history.findIndex((event, index) => event.sequence !== index + 1);
  if (gap >= 0) return { history, problem: `the topic has sequence ${history[gap]!.sequence} where ${gap + 1} was expected` };
  return { history };
}

export function foldHistory(history: readonly OrderEvent[]): OrderState | undefined {
  return history.reduce<OrderState | undefined>((state, event) => evolve(state, event), undefined);
}

function differingFields(expected: OrderState, actual: OrderState): string[] {
  const keys = new Set([...Object.keys(expected), ...Object.keys(actual)] as Array<keyof OrderState>);
  return [...keys].filter((key) => !isDeepStrictEqual(expected[key], actual[key]));
}

export function checkReadModel(input: ReadModelCheckInput): ReadModelCheck {
  const eventsByOrder = new Map<string, OrderEvent[]>();
  for (const event of input.topicEvents) {
    const events = eventsByOrder.get(event.orderId) ?? [];
    events.push(event);
    eventsByOrder.set(event.orderId, events);
  }
  const accepted = new Set(input.acceptedOrderIds);
  const orderIds = new Set([...accepted, ...eventsByOrder.keys(), ...input.rows.keys()]);

  const lost: OrderProblem[] = [];
  for (const orderId of input.acceptedOrderIds) {
    const row = input.rows.get(orderId);
    if (!row) lost.push({ orderId, problem: eventsByOrder.has(orderId) ? 'not in the read model (its events are in the topic)' : 'no trace: not in the topic nor in the read model' });
    else if (!FINAL_STATUSES.has(row.status)) lost.push({ orderId, problem: `still ${row.status} (sequence ${row.lastSequence})` });
  }

  const doubleApplied = input.appliedEventRows
    .filter((applied) => applied.rows > 1)
    .map((applied) => ({ orderId: applied.orderId, problem: `sequence ${applied.sequence} stored ${applied.rows} times in order_events` }));
  const appliedCount = new Map<string, number>();
  for (const applied of input.appliedEventRows) appliedCount.set(applied.orderId, (appliedCount.get(applied.orderId) ?? 0) + 1);

  const mismatches: OrderProblem[] = [];
  for (const orderId of orderIds) {
    const row = input.rows.get(orderId);
    const events = eventsByOrder.get(orderId);
    if (!events) {
      if (row) mismatches.push({ orderId, problem: 'in the read model but has no events in the topic' });
      continue;
    }
    const { history, problem } = historyOf(events);
    if (problem) {
      mismatches.push({ orderId, problem });
      continue;
    }
    let folded: OrderState | undefined;
    try {
      folded = foldHistory(history);
    } catch (error) {
      mismatches.push({ orderId, problem: `the topic's events do not fold: ${(error as Error).message}` });
      continue;
    }
    if (!row) {
      // An accepted order without a row is counted as lost already.
      if (!accepted.has(orderId)) mismatches.push({ orderId, problem: `in the topic (${history.length} events) but not in the read model` });
      continue;
    }
    if (!folded) continue;
    if (row.lastSequence !== history.length) {
      mismatches.push({ orderId, problem: `last applied sequence ${row.lastSequence}, but the topic has ${history.length} distinct events` });
      continue;
    }
    const fields = differingFields(folded, row);
    if (fields.length > 0) mismatches.push({ orderId, problem: `read model differs from the fold of the topic in ${fields.join(', ')}` });
    const stored = appliedCount.get(orderId) ?? 0;
    if (stored !== history.length) mismatches.push({ orderId, problem: `order_events holds ${stored} events, the topic ${history.length}` });
  }
  return { lost, doubleApplied, mismatches, ordersChecked: orderIds.size };
}
