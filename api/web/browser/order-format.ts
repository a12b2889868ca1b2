/// <reference lib="dom" />
import { formatMoney } from '../../../contracts/menu';
import { STATIONS, type Station } from '../../../contracts/names';
import { FINAL_STATUSES } from '../../../contracts/order-state';
import type { DrinkChoice, OrderView } from './api-client';

/** How both pages describe an order: where it stands, how long each station took, and its drinks. */

/** The pages call the stations stages: where an order stands. */
export type Stage = Station;
export const STAGES: readonly Stage[] = STATIONS;
export const STAGE_NAMES: Record<Stage, string> = { label: 'Label', mix: 'Mix', top: 'Top' };

export function isFinal(order: OrderView): boolean {
  return FINAL_STATUSES.has(order.status);
}

/** Stopped before it was ready: cancelled or failed (and then refunded), or its payment declined. */
export function isStopped(order: OrderView): boolean {
  return order.cancelledAt !== null || order.failedAt !== null || order.declineReason !== null;
}

/** What the order costs, as customers read it. */
export function orderPrice(order: OrderView): string {
  return formatMoney(order.totalCents, order.currency);
}

/** The station the order is at now (or was at when it stopped); undefined once it is ready. */
export function currentStage(order: OrderView): Stage | undefined {
  if (order.readyAt !== null) return undefined;
  if (order.mixedAt !== null) return 'top';
  if (order.labelledAt !== null) return 'mix';
  return 'label';
}

/** How many of the three stations are done. */
export function stagesDone(order: OrderView): number {
  return [order.labelledAt, order.mixedAt, order.readyAt].filter((at) => at !== null).length;
}

/** When a station started and finished (null while it has not). */
export function stageSpan(order: OrderView, stage: Stage): { from: string | null; to: string | null } {
  switch (stage) {
    case 'label':
      return { from: order.placedAt, to: order.labelledAt };
    case 'mix':
      return { from: order.labelledAt, to: order.mixedAt };
    case 'top':
      return { from: order.mixedAt, to: order.readyAt };
  }
}

export function shortId(orderId: string): string {
  return orderId.slice(0, 8);
}

export function millisBetween(from: string, to: string | Date): number {
  return (to instanceof Date ? to.getTime() : Date.parse(to)) - Date.parse(from);
}

export function formatDuration(ms: number): string {
  const seconds = Math.max(0, ms) / 1000;
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 60) return `${Math.floor(seconds)} s`;
  const whole = Math.floor(seconds);
  if (whole < 3600) return `${Math.floor(whole / 60)}m ${whole % 60}s`;
  return `${Math.floor(whole / 3600)}h ${Math.floor((whole % 3600) / 60)}m`;
}

export function formatTime(iso: string): string {
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
}

export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  const today = new Date().toDateString() === date.toDateString();
  return today ? formatTime(iso) : date.toLocaleString([], { dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23' });
}

export function describeDrink(drink: DrinkChoice, sugarLabels: Record<string, string> = {}): string {
  const sugar = sugarLabels[String(drink.sugar)] ?? `${drink.sugar}%`;
  const sugarText = drink.sugar === 0 ? 'no sugar' : `${sugar} sugar`;
  const pearl = drink.pearl === 'None' ? 'no pearls' : drink.pearl;
  return [drink.tea, sugarText, pearl, drink.topping ?? 'no topping'].join(' · ');
}

export function drinkCount(order: OrderView): string {
  return order.drinks.length === 1 ? '1 drink' : `${order.drinks.length} drinks`;
}

/** The status as a word for badges: the API's statuses, with "late" for delayed and "cancelled" for a cancelled order's refund. */
export function statusLabel(order: OrderView): string {
  if (order.status === 'delayed') return 'late';
  if (order.cancelledAt !== null) return 'cancelled';
  return order.status;
}

/** Applies an update only if it is not older than what is shown (a list and a stream may race). */
export function newer(current: OrderView | undefined, update: OrderView): boolean {
  return current === undefined || update.lastSequence >= current.lastSequence;
}

/** The sentence at the top of an order: a cancelled order reads as cancelled, also once its refund is made. */
export function headline(order: OrderView): string {
  if (order.cancelledAt !== null) return order.refundedAt !== null ? 'Your order is cancelled and your money refunded' : 'Your order is cancelled';
  return order.statusText;
}
