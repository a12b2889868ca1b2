/// <reference lib="dom" />
import type { OrderView } from './api-client';
import { h } from './dom';
import { STAGES, STAGE_NAMES, formatDuration, formatTime, isFinal, isStopped, millisBetween, shortId, stageSpan, type Stage } from './order-format';

/** The pieces of the operator board: an order's link to its workflow, station times, and the rows of its two tables. */

/** The order's id, linked to its workflow in Temporal when the board knows where that is. */
export function orderLink(order: OrderView, workflowUrl: string | undefined): HTMLElement {
  const label = `#${shortId(order.orderId)}`;
  if (!workflowUrl) return h('code', { class: 'order-id', title: order.orderId }, label);
  return h(
    'a',
    { class: 'order-id', href: workflowUrl, target: '_blank', rel: 'noopener', 'data-key': order.orderId, title: `Workflow of order ${order.orderId} in Temporal` },
    label,
    h('span', { class: 'visually-hidden' }, ' (its workflow in Temporal, opens in a new tab)'),
  );
}

/** When a stopped order stopped: failed or cancelled (a declined order never reached a station). */
function stoppedAt(order: OrderView): string | null {
  return order.failedAt ?? order.cancelledAt;
}

/** A station's time: finished, running (ticking), where the order stopped, or not reached. */
export function stageTime(order: OrderView, stage: Stage): HTMLElement {
  const { from, to } = stageSpan(order, stage);
  if (from && to) return h('span', {}, formatDuration(millisBetween(from, to)));
  const stopped = stoppedAt(order);
  if (from && stopped) {
    return h('span', { class: 'stopped-time' }, `${order.failedAt ? 'failed' : 'cancelled'} after ${formatDuration(millisBetween(from, stopped))}`);
  }
  if (from && !isFinal(order) && !isStopped(order)) {
    return h('span', { class: 'running' }, h('span', { 'data-since': from }, formatDuration(millisBetween(from, new Date()))), h('span', { class: 'visually-hidden' }, ' so far'));
  }
  return h('span', { class: 'muted', 'aria-label': 'not reached' }, '—');
}

export function breachText(order: OrderView): string {
  return order.delays.map((delay) => `${delay.stage} (SLA ${Math.round(delay.slaSeconds)} s)`).join(', ');
}

export function table(caption: string, headings: string[], rows: HTMLTableRowElement[], empty: string): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'muted' }, empty);
  return h(
    'table',
    { class: 'orders-table' },
    h('caption', { class: 'visually-hidden' }, caption),
    h('thead', {}, h('tr', {}, headings.map((heading) => h('th', { scope: 'col' }, heading)))),
    h('tbody', {}, rows),
  );
}

/** A cell of times or figures, kept on one line. */
function cell(label: string, ...content: Array<Node | string | null>): HTMLTableCellElement {
  return h('td', { 'data-label': label }, ...content);
}

/**
 * A cell of words (a name, a reason), the only ones that wrap, anywhere if they must; and how it sits when the
 * table is stacked on a phone: across the line, two thirds of it, or not at all.
 */
function cellOn(layout: 'wide' | 'span2' | 'hide-narrow' | 'words', label: string, ...content: Array<Node | string | null>): HTMLTableCellElement {
  return h('td', { 'data-label': label, class: layout === 'words' ? 'words' : `words ${layout}` }, ...content);
}

const stageCells = (order: OrderView) => STAGES.map((stage) => cell(STAGE_NAMES[stage], stageTime(order, stage)));

export const READY_HEADINGS = ['Order', 'Customer', 'Drinks', 'Label', 'Mix', 'Top', 'Total', 'Ready at', 'SLA'];

export function readyRow(order: OrderView, workflowUrl: string | undefined): HTMLTableRowElement {
  return h(
    'tr',
    { class: order.slaBreached ? 'breached' : undefined },
    cell('Order', orderLink(order, workflowUrl)),
    cellOn('span2', 'Customer', order.customerId),
    cellOn('hide-narrow', 'Drinks', String(order.drinks.length)),
    ...stageCells(order),
    cell('Total', formatDuration(millisBetween(order.placedAt, order.readyAt!))),
    cell('Ready at', formatTime(order.readyAt!)),
    cellOn('words', 'SLA', order.slaBreached ? h('span', { class: 'flag-text' }, `Late at ${breachText(order)}`) : 'on time'),
  );
}

export const PROBLEM_HEADINGS = ['Order', 'Customer', 'What happened', 'When', 'Label', 'Mix', 'Top', 'Refund', 'Reason'];

/** What happened to a stopped order, newest first by this time (a declined order by when it was placed). */
export function problemTime(order: OrderView): string {
  return stoppedAt(order) ?? order.placedAt;
}

/** A failed, cancelled or declined order: the stations it reached and for how long, whether it was late, and its refund. */
export function problemRow(order: OrderView, workflowUrl: string | undefined): HTMLTableRowElement {
  const outcome = order.failedAt ? 'failed' : order.cancelledAt ? 'cancelled' : 'declined';
  const refund = order.refundedAt ? `refunded ${formatTime(order.refundedAt)}` : outcome === 'declined' ? 'nothing charged' : 'pending';
  const reason = { failed: order.failureReason, cancelled: order.cancellationReason, declined: order.declineReason }[outcome];
  return h(
    'tr',
    { class: outcome === 'cancelled' ? 'cancelled' : 'failed' },
    cell('Order', orderLink(order, workflowUrl)),
    cellOn('span2', 'Customer', order.customerId),
    cellOn(
      'words',
      'What happened',
      h('span', { class: `badge badge-${outcome === 'cancelled' ? 'cancelled' : 'failed'}` }, outcome),
      order.slaBreached ? h('span', { class: 'flag-text late-note' }, `Late at ${breachText(order)}`) : null,
    ),
    cell('When', formatTime(problemTime(order))),
    ...stageCells(order),
    cellOn('words', 'Refund', refund),
    cellOn('wide', 'Reason', reason ?? '—'),
  );
}
