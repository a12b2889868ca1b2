import { formatMoney } from '../../../contracts/menu';
import type { OrderView } from './api-client';
import { h } from './dom';
import { formatTime, isStopped, orderPrice } from './order-format';

/** What a customer should know about an order beyond its stage: late, cancelled, failed, declined, refunded. */
export function orderNotices(order: OrderView): HTMLElement[] {
  const list: HTMLElement[] = [];
  const lastDelay = order.delays[order.delays.length - 1];
  if (order.status === 'delayed' && lastDelay) {
    list.push(h('p', { class: 'notice notice-warn' }, `Running late at the ${lastDelay.stage} station (it should take at most ${Math.round(lastDelay.slaSeconds)} s). Your order is still being made.`));
  } else if (order.slaBreached && lastDelay && !isStopped(order)) {
    list.push(h('p', { class: 'notice notice-warn' }, `This order ran late at the ${order.delays.map((delay) => delay.stage).join(' and ')} station${order.delays.length > 1 ? 's' : ''}. Sorry for the wait!`));
  }
  if (order.cancelledAt) list.push(h('p', { class: 'notice notice-info' }, `Cancelled at ${formatTime(order.cancelledAt)}: ${order.cancellationReason ?? 'no reason given'}.`));
  if (order.failedAt) list.push(h('p', { class: 'notice notice-error' }, `Failed at ${formatTime(order.failedAt)}: ${order.failureReason ?? 'no reason given'}.`));
  if (order.declineReason) list.push(h('p', { class: 'notice notice-error' }, `Your payment of ${orderPrice(order)} was declined (${order.declineReason}). Nothing was charged.`));
  if (order.refundedAt) list.push(h('p', { class: 'notice notice-ok' }, refundText(order)));
  else if (isStopped(order) && !order.declineReason) list.push(h('p', { class: 'notice notice-info' }, 'Your refund is on its way.'));
  return list;
}

function refundText(order: OrderView): string {
  const at = formatTime(order.refundedAt!);
  if (!order.refundedCents) return `Closed at ${at}: nothing had been charged, so there is nothing to refund.`;
  return `Refunded ${formatMoney(order.refundedCents, order.currency)} at ${at}, all you paid (refund ${order.refundId}).`;
}
