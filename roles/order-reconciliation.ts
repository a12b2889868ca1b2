import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import type pg from 'pg';
import type { Logger } from 'pino';
import { refundKeyOf, type PaymentProvider } from '../activities/payment-provider';
import { refundOrder } from '../activities/payments';
import { readOrderWorkflowStart } from '../api/order-workflow-start-event';
import { CLOSED_ORDER_QUERY_TIMEOUT_MS, withTimeout } from '../api/temporal-deadline';
import type { OrderEvent } from '../contracts/events';
import { isOrderId, orderIdOfWorkflow } from '../contracts/ids';
import { CURRENCY } from '../contracts/menu';
import { nextClosingEvent, refundDue } from '../contracts/order-closing';
import { FINAL_STATUSES, type OrderState, type OrderStatus } from '../contracts/order-state';
import { getOrder, statusesOf } from '../projections/order-queries';
import { getOrderQuery, ORDER_WORKFLOW_TYPE } from '../workflows/order-definitions';

/*
 * Finds order workflows that closed without finishing their order (terminated, timed out, failed, cancelled:
 * no workflow code ran to publish an ending) and ends each order with the next event of contracts/order-closing,
 * numbered after the last one published: the workflow's own query (answered by replaying its history, so it
 * knows every event the workflow published) or the read model, whichever is further.
 */

export interface OrderReconcilerDeps {
  client: Client;
  /** The read model; reading is all it does there. */
  pool: pg.Pool;
  /** The orchestrator's Kafka publisher: same topic, key and headers. */
  publish(event: OrderEvent): Promise<void>;
  logger: Logger;
  /** Where a paid order's refund is made (keyed by the order, as the workflow's own refund is, so it is made once). */
  payments: PaymentProvider;
  /**
   * Workflows that closed less than this ago are left for the next pass: an event the workflow was publishing
   * as it closed may still land (it is not in the history), and a closing event would then take its number.
   */
  settleMs: number;
}

const CLOSED_UNFINISHED = ['Terminated', 'TimedOut', 'Failed', 'Canceled'];

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** Why the workflow closed, from its last history event, as the reason the customer sees. */
function reasonOf(closing: HistoryEvent | undefined): string {
  const terminated = closing?.workflowExecutionTerminatedEventAttributes;
  if (terminated) return `the order's workflow was terminated${terminated.reason ? `: ${terminated.reason}` : ''}`;
  if (closing?.workflowExecutionTimedOutEventAttributes) return "the order's workflow timed out";
  const failed = closing?.workflowExecutionFailedEventAttributes;
  if (failed) return `the order's workflow failed${failed.failure?.message ? `: ${failed.failure.message}` : ''}`;
  if (closing?.workflowExecutionCanceledEventAttributes) return "the order's workflow was cancelled";
  return "the order's workflow closed before the order was finished";
}

function furthest(...orders: Array<OrderState | null>): OrderState | null {
  return orders.reduce<OrderState | null>((best, order) => (order && (!best || order.lastSequence > best.lastSequence) ? order : best), null);
}

export function createOrderReconciler({ client, pool, publish, logger, payments, settleMs }: OrderReconcilerDeps) {
  const namespace = client.options.namespace;
  /** Events this process published, not published again while the projector catches up with them. */
  let published = new Set<string>();

  /** Publishes the next closing event of one closed workflow's order; false if there was none to publish. */
  async function endOrderOf(workflowId: string, runId: string): Promise<boolean> {
    const orderId = orderIdOfWorkflow(workflowId);
    const latest = await client.workflow.getHandle(workflowId).describe();
    // Reset by an operator: the closed run was replaced by a newer one, which carries the order on.
    if (latest.runId !== runId || !latest.closeTime) return false;
    const { history } = await client.workflowService.getWorkflowExecutionHistoryReverse({ namespace, execution: { workflowId, runId }, maximumPageSize: 1 });
    const reason = reasonOf(history?.events?.[0]);
    const start = await readOrderWorkflowStart(client, workflowId);
    // A workflow that never completed a task has no state to query, and no worker may be there to answer.
    const queried = start.hasRun
      ? await withTimeout(client, CLOSED_ORDER_QUERY_TIMEOUT_MS, () => client.workflow.getHandle(workflowId, runId).query(getOrderQuery))
      : null;
    const order = furthest(queried, await getOrder(pool, orderId));
    const due = refundDue(order);
    const refund = due && { ...(await payments.refund({ ...due, currency: CURRENCY, idempotencyKey: refundKeyOf(orderId) })), amountCents: due.amountCents };
    const event = nextClosingEvent(order, {
      orderId,
      closedAt: latest.closeTime.toISOString(),
      reason,
      placed: { customerId: start.input.customerId, drinks: start.input.drinks, at: start.startedAt.toISOString() },
      refund: refund ?? undefined,
    });
    if (!event || published.has(event.eventId)) return false;

    if (event.type === 'OrderFailed') logger.error({ alert: 'order_failed', orderId, stage: event.data.stage, reason }, 'Order failed: its workflow closed without finishing it');
    if (event.type === 'OrderRefunded' && !due) refundOrder({ orderId, reason: event.data.reason }, { info: (message, meta) => logger.info(meta, message) });
    await publish(event);
    published.add(event.eventId);
    logger.info({ orderId, sequence: event.sequence, type: event.type }, 'closing event published');
    return true;
  }

  return {
    /** One pass over every order workflow that closed unfinished; returns how many events it published. */
    async reconcile(): Promise<number> {
      const closedBefore = new Date(Date.now() - settleMs).toISOString();
      const statuses = CLOSED_UNFINISHED.map((status) => `"${status}"`).join(', ');
      const query = `WorkflowType = "${ORDER_WORKFLOW_TYPE}" AND ExecutionStatus IN (${statuses}) AND CloseTime < "${closedBefore}"`;
      const closed = new Map<string, string>();
      for await (const workflow of client.workflow.list({ query })) {
        if (isOrderId(orderIdOfWorkflow(workflow.workflowId))) closed.set(workflow.workflowId, workflow.runId);
      }
      const current = closed.size > 0 ? await statusesOf(pool, [...closed.keys()].map(orderIdOfWorkflow)) : new Map<string, OrderStatus>();
      const unfinished = [...closed].filter(([workflowId]) => {
        const status = current.get(orderIdOfWorkflow(workflowId));
        return status === undefined || !FINAL_STATUSES.has(status);
      });
      published = new Set([...published].filter((eventId) => unfinished.some(([workflowId]) => eventId.startsWith(`${orderIdOfWorkflow(workflowId)}:`))));

      let count = 0;
      for (const [workflowId, runId] of unfinished) {
        try {
          if (await endOrderOf(workflowId, runId)) count += 1;
        } catch (error) {
          logger.warn({ err: error, workflowId }, 'could not end the order of a closed workflow yet; trying again on the next pass');
        }
      }
      return count;
    },
  };
}
