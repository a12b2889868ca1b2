/// <reference lib="dom" />
import { listOrders, type OrderView } from './api-client';
import { byId, h, replaceKeepingFocus } from './dom';
import { drinkCount, formatDateTime, newer, orderPrice, shortId, statusLabel } from './order-format';

/** "Your orders": the last orders of the customer named on the page, kept up to date by the order followed. */

const SHOWN = 20;

export interface OrderHistory {
  /** Shows this customer's orders (nothing to do if they are shown already). */
  showCustomer(customerId: string): void;
  /** An order seen elsewhere on the page, newer than the list's copy perhaps. */
  update(order: OrderView): void;
  render(): void;
}

export function createOrderHistory({ currentId, open }: { currentId: () => string | undefined; open: (orderId: string) => void }): OrderHistory {
  const list = byId<HTMLUListElement>('history-list');
  const note = byId('history-note');
  let customer = '';
  let orders = new Map<string, OrderView>();

  async function load(customerId: string): Promise<void> {
    customer = customerId;
    orders = new Map();
    if (!customerId) {
      note.textContent = 'Enter your name to see your orders.';
      render();
      return;
    }
    note.textContent = `Loading the orders of ${customerId}…`;
    try {
      const page = await listOrders({ customer: customerId, limit: SHOWN });
      if (customer !== customerId) return;
      for (const order of page.orders) if (newer(orders.get(order.orderId), order)) orders.set(order.orderId, order);
      render();
    } catch (error) {
      if (customer === customerId) note.textContent = `Your orders could not be loaded: ${(error as Error).message}`;
    }
  }

  function render(): void {
    const shown = [...orders.values()].sort((a, b) => b.placedAt.localeCompare(a.placedAt)).slice(0, SHOWN);
    const current = currentId();
    if (customer) note.textContent = shown.length ? `The last orders of ${customer}, newest first.` : `No orders for ${customer} yet.`;
    replaceKeepingFocus(
      list,
      ...shown.map((order) =>
        h(
          'li',
          { class: `history-item${order.orderId === current ? ' current' : ''}` },
          h(
            'a',
            { href: `/?order=${order.orderId}`, 'data-key': order.orderId, 'aria-current': order.orderId === current ? 'true' : undefined, onclick: (event: Event) => openOrder(event, order.orderId) },
            `Order ${shortId(order.orderId)}`,
          ),
          h('span', { class: `badge badge-${order.status}` }, statusLabel(order)),
          h('span', { class: 'muted' }, `${drinkCount(order)} · ${orderPrice(order)} · ${formatDateTime(order.placedAt)}`),
        ),
      ),
    );
  }

  function openOrder(event: Event, orderId: string): void {
    const click = event as MouseEvent;
    if (click.ctrlKey || click.metaKey || click.shiftKey || click.button !== 0) return;
    event.preventDefault();
    open(orderId);
  }

  return {
    showCustomer(customerId) {
      if (customerId !== customer) void load(customerId);
    },
    update(order) {
      if (order.customerId !== customer || !newer(orders.get(order.orderId), order)) return;
      orders.set(order.orderId, order);
      render();
    },
    render,
  };
}
