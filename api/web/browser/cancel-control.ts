/// <reference lib="dom" />
import { ApiError, cancelOrder, getOrder, type OrderView } from './api-client';
import { byId } from './dom';
import { isStopped, orderPrice, shortId } from './order-format';

/**
 * The cancel button of the followed order, offered exactly while the API says it would take a cancellation
 * (`cancellable`: until mixing starts, also while the payment is being taken), asked for after a confirmation,
 * with a plain sentence saying until when it can be cancelled, and when it no longer can.
 */
export interface CancelControl {
  show(order: OrderView): void;
  hide(): void;
}

export function createCancelControl(current: () => OrderView | undefined, render: (order: OrderView) => void): CancelControl {
  const button = byId<HTMLButtonElement>('cancel-order');
  const note = byId('cancel-note');
  const error = byId('cancel-error');
  let cancelling = false;

  function show(order: OrderView): void {
    const open = order.cancellable === true;
    button.hidden = !open && !cancelling;
    const inMaking = !isStopped(order) && order.readyAt === null;
    note.textContent = open ? 'You can cancel until your tea starts mixing, and get back all you paid.' : inMaking ? 'Your tea is being made now, so this order can no longer be cancelled.' : '';
    note.hidden = note.textContent === '';
  }

  async function cancel(): Promise<void> {
    const order = current();
    if (!order || cancelling) return;
    const { orderId } = order;
    if (!window.confirm(`Cancel order ${shortId(orderId)}? Nothing will be made and you get back all you paid (${orderPrice(order)}).`)) return;
    cancelling = true;
    button.disabled = true;
    button.textContent = 'Cancelling…';
    error.hidden = true;
    try {
      render(await cancelOrder(orderId));
    } catch (failure) {
      const tooLate = failure instanceof ApiError && failure.status === 409;
      // Too late: show the order as it is now, which says why.
      const now = tooLate ? await getOrder(orderId).catch(() => undefined) : undefined;
      if (now) render(now);
      error.textContent = tooLate ? `Too late to cancel: ${whyNot(now)}` : `Not cancelled: ${failure instanceof Error ? failure.message : String(failure)}`;
      error.hidden = false;
    } finally {
      cancelling = false;
      button.disabled = false;
      button.textContent = 'Cancel order';
      const shown = current();
      if (shown) show(shown);
      if (button.hidden) byId('tracker-heading').focus();
    }
  }

  button.addEventListener('click', () => void cancel());
  return {
    show,
    hide() {
      button.hidden = true;
      note.hidden = true;
      error.hidden = true;
    },
  };
}

function whyNot(order: OrderView | undefined): string {
  if (order?.declineReason) return 'your payment was declined, so nothing was charged and nothing will be made.';
  if (order?.failedAt) return 'your order could not be made, and it is refunded.';
  if (order?.readyAt) return 'your bubble tea is already ready.';
  return 'your tea is already being mixed.';
}
