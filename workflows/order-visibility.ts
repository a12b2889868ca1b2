import { patched, upsertMemo, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { OrderState, OrderStatus } from '../contracts/order-state';
import { statusDisplay } from '../contracts/order-status-text';
import { ORDER_OUTCOME_PATCH } from './order-patches';
import { orderSummary, type OrderWorkflowInput } from './order-definitions';
import { SEARCH_ATTRIBUTES } from './search-attributes';

export interface OrderVisibility {
  /** The customer and drink count, unless the start request carried them. */
  start(): void;
  /** After each event: the order's stage and whether it ever breached an SLA. */
  show(state: OrderState): void;
}

/**
 * What operators see of the order in Temporal's visibility: search attributes and a memo. Every change is a
 * write on the server, so changes are made only when a value changes, and what the start request already
 * carries (the API sets them) is not written again. Orders started before the patch keep their old updates.
 */
export function orderVisibility(input: OrderWorkflowInput, onlyChanges: boolean): OrderVisibility {
  const summary = orderSummary(input);
  const info = workflowInfo();
  let shownStatus = onlyChanges ? info.typedSearchAttributes.get(SEARCH_ATTRIBUTES.OrderStatus) : undefined;
  let shownBreached = false;
  // A delay is what SlaBreached says; OrderStatus keeps the stage, so operators can ask "breached and still mixing".
  let stageStatus: OrderStatus = 'placed';
  const upsert = (state: OrderState) =>
    upsertSearchAttributes([
      { key: SEARCH_ATTRIBUTES.OrderStatus, value: stageStatus },
      { key: SEARCH_ATTRIBUTES.SlaBreached, value: state.slaBreached },
    ]);
  return {
    start() {
      const attributes = onlyChanges ? info.typedSearchAttributes : undefined;
      if (attributes?.get(SEARCH_ATTRIBUTES.CustomerId) === undefined || attributes.get(SEARCH_ATTRIBUTES.DrinkCount) === undefined) {
        upsertSearchAttributes([
          { key: SEARCH_ATTRIBUTES.CustomerId, value: input.customerId },
          { key: SEARCH_ATTRIBUTES.DrinkCount, value: input.drinks.length },
        ]);
      }
      if (onlyChanges && info.memo?.summary === undefined) upsertMemo({ summary });
    },
    show(state) {
      if (state.status !== 'delayed') stageStatus = state.status;
      if (!onlyChanges) {
        upsert(state);
        upsertMemo({ summary: `${summary}: ${statusDisplay(state.status).statusText}` });
        return;
      }
      if (stageStatus === shownStatus && state.slaBreached === shownBreached) return;
      upsert(state);
      shownStatus = stageStatus;
      shownBreached = state.slaBreached;
    },
  };
}

/** Every order ends as completed in Temporal: this says how it really ended (set last, once). */
export function showOutcome(outcome: 'ready' | 'cancelled' | 'failed' | 'declined'): void {
  if (patched(ORDER_OUTCOME_PATCH)) upsertSearchAttributes([{ key: SEARCH_ATTRIBUTES.OrderOutcome, value: outcome }]);
}
