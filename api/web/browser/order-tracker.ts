/// <reference lib="dom" />
import { ApiError, followOrders, getOrder, type OrderView } from './api-client';
import { createCancelControl } from './cancel-control';
import { byId, h, setText } from './dom';
import { orderNotices } from './order-notices';
import { STAGES, STAGE_NAMES, currentStage, describeDrink, drinkCount, formatDateTime, formatDuration, headline, isFinal, isStopped, millisBetween, newer, orderPrice, shortId, stageSpan, stagesDone } from './order-format';
import { createOutageBanner } from './outage-banner';
import { readyEstimateText } from './ready-estimate-text';

/** One order followed live over Server-Sent Events: its stations, when it should be ready, its notices, and cancelling it. */

export interface OrderTracker {
  follow(orderId: string): Promise<void>;
  stop(): void;
  /** The order shown, if any. */
  followedId(): string | undefined;
  /** Shows the order again, such as once the menu's sugar labels are known. */
  refresh(): void;
}

export function createOrderTracker({ changed, sugarLabels }: { changed: (order: OrderView) => void; sugarLabels: () => Record<string, string> | undefined }): OrderTracker {
  const status = byId('order-status');
  let followedId: string | undefined;
  let followed: OrderView | undefined;
  let stopFollowing: (() => void) | undefined;
  const outage = createOutageBanner(() => followed && render(followed));
  const cancel = createCancelControl(() => followed, (order) => followedId === order.orderId && newer(followed, order) && render(order));
  // The "about N s" of the estimate counts down between updates.
  setInterval(() => followed && !isFinal(followed) && setText(byId('order-estimate'), readyEstimateText(followed)), 1000);

  function stop(): void {
    stopFollowing?.();
    stopFollowing = undefined;
  }

  function render(order: OrderView): void {
    followed = order;
    byId('order-details').hidden = false;
    byId('order-drinks-heading').hidden = false;
    byId('order-meta').textContent = `Order ${shortId(order.orderId)} for ${order.customerId} · ${drinkCount(order)} · ${orderPrice(order)} · placed ${formatDateTime(order.placedAt)}`;
    if (!outage.up) setText(status, headline(order));
    const stopped = isStopped(order);
    const late = order.status === 'delayed';
    const fill = byId('progress-fill');
    fill.style.width = `${(stagesDone(order) / STAGES.length) * 100}%`;
    fill.className = `progress-fill${stopped ? ' stopped' : late ? ' late' : order.readyAt ? ' done' : ''}`;
    byId('order-stages').replaceChildren(...stageItems(order));
    setText(byId('order-estimate'), readyEstimateText(order));
    byId('order-notices').replaceChildren(...orderNotices(order));
    cancel.show(order);
    byId('order-drinks').replaceChildren(...order.drinks.map((drink) => h('li', {}, describeDrink(drink, sugarLabels()))));
    changed(order);
    if (isFinal(order)) {
      // Nothing more will happen to it.
      stop();
      byId('live-note').textContent = '';
    }
  }

  async function follow(orderId: string): Promise<void> {
    stop();
    followedId = orderId;
    followed = undefined;
    byId('order-meta').textContent = `Order ${shortId(orderId)}`;
    setText(status, 'Looking up your order…');
    for (const id of ['order-stages', 'order-estimate', 'order-notices', 'order-drinks', 'live-note']) byId(id).replaceChildren();
    byId('progress-fill').style.width = '0';
    byId('order-details').hidden = true;
    byId('order-drinks-heading').hidden = true;
    outage.show(false);
    cancel.hide();

    let order: OrderView;
    try {
      order = await getOrder(orderId);
    } catch (error) {
      if (followedId === orderId) setText(status, lookupFailure(orderId, error));
      return;
    }
    if (followedId !== orderId) return;
    render(order);
    if (isFinal(order)) return;
    stopFollowing = followOrders(
      `/orders/${encodeURIComponent(orderId)}/stream`,
      (update) => {
        if (update.orderId === orderId && followedId === orderId && newer(followed, update)) render(update);
      },
      (state) => {
        if (followedId !== orderId || (followed && isFinal(followed))) return;
        byId('live-note').textContent = state === 'live' ? 'Live: this page updates by itself.' : '';
        outage.show(state !== 'live');
      },
    );
  }

  return {
    follow,
    stop() {
      stop();
      followedId = undefined;
      followed = undefined;
    },
    followedId: () => followedId,
    refresh: () => followed && render(followed),
  };
}

function stageItems(order: OrderView): HTMLElement[] {
  const stopped = isStopped(order);
  const late = order.status === 'delayed';
  const now = currentStage(order);
  return STAGES.map((stage) => {
    const { from, to } = stageSpan(order, stage);
    const state = to !== null ? 'done' : stage !== now ? 'pending' : stopped ? 'stopped' : late ? 'late' : 'current';
    const detail = {
      done: from && to ? formatDuration(millisBetween(from, to)) : 'done',
      current: 'in progress',
      late: 'running late',
      stopped: order.cancelledAt ? 'cancelled' : order.declineReason ? 'not started' : 'failed',
      pending: 'waiting',
    }[state];
    return h(
      'li',
      { class: `stage stage-${state}`, 'aria-current': state === 'current' || state === 'late' ? 'step' : undefined },
      h('span', { class: 'stage-name' }, STAGE_NAMES[stage]),
      h('span', { class: 'stage-detail' }, state === 'done' ? h('span', { class: 'visually-hidden' }, 'done in ') : null, detail),
    );
  });
}

function lookupFailure(orderId: string, error: unknown): string {
  const status = error instanceof ApiError ? error.status : 0;
  if (status === 404 || status === 400) return `We cannot find an order ${shortId(orderId)}: check the link, or find your order under “Your orders”.`;
  if (status === 401) return 'Enter your name on the order page first: your orders are shown only to you.';
  return (error as Error).message;
}
