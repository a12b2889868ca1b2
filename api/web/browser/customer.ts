/// <reference lib="dom" />
import type { Menu } from './api-client';
import { byId } from './dom';
import { createOrderHistory } from './order-history';
import { startOrderForm } from './order-form';
import { createOrderTracker } from './order-tracker';

/**
 * The customer page: build an order and place it (order-form.ts), follow it live and cancel it while that is
 * still possible (order-tracker.ts), and find past orders again (order-history.ts). The address says which:
 * `/` builds, `/?order=<id>` follows.
 */

let menu: Menu | undefined;
const builder = byId('builder');
const tracker = byId('tracker');

const orders = createOrderTracker({ changed: (order) => history.update(order), sugarLabels: () => menu?.sugarLabels });
const history = createOrderHistory({ currentId: orders.followedId, open: (orderId) => void follow(orderId, true) });

async function follow(orderId: string, push: boolean): Promise<void> {
  if (push) window.history.pushState({ orderId }, '', `/?order=${encodeURIComponent(orderId)}`);
  builder.hidden = true;
  tracker.hidden = false;
  byId('tracker-heading').focus();
  const following = orders.follow(orderId);
  history.render();
  await following;
}

function showBuilder(): void {
  orders.stop();
  tracker.hidden = true;
  builder.hidden = false;
  history.render();
}

function route(): void {
  const orderId = new URLSearchParams(location.search).get('order');
  if (orderId) void follow(orderId, false);
  else showBuilder();
}

const form = startOrderForm({
  placed: (orderId) => follow(orderId, true),
  customerChanged: (customerId) => history.showCustomer(customerId),
  menuLoaded: (loaded) => {
    menu = loaded;
    orders.refresh();
  },
});
byId('new-order').addEventListener('click', () => {
  window.history.pushState({}, '', '/');
  showBuilder();
  form.focusName();
});
window.addEventListener('popstate', route);
route();
