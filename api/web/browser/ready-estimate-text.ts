import type { OrderView } from './api-client';
import { formatDuration, formatTime, millisBetween } from './order-format';

/**
 * When the order should be ready, as a customer reads it: a clock time and how long that is from now, from the
 * moment it is placed. The API works the time out from the order's stage and the shop's station speed, and
 * moves it on at each stage and when the order runs late; the page only counts down to it.
 */
export function readyEstimateText(order: OrderView, now: Date = new Date()): string {
  if (order.readyAt) return `Made in ${formatDuration(millisBetween(order.placedAt, order.readyAt))}, from order to ready.`;
  const estimate = order.readyEstimate;
  if (!estimate) return '';
  const at = formatTime(estimate.readyBy);
  const left = (Date.parse(estimate.readyBy) - now.getTime()) / 1000;
  if (left < 1) return estimate.late ? `Running late: it should not be long now (we said ${at}).` : `Ready any moment now (by ${at}).`;
  const readyBy = `ready by ${at}, in ${aboutHowLong(left)}`;
  return estimate.late ? `Running late: now ${readyBy}.` : `${readyBy.charAt(0).toUpperCase()}${readyBy.slice(1)}.`;
}

/** "about 12 s" under a minute, "about 3 min" above: an estimate is no stopwatch. */
export function aboutHowLong(seconds: number): string {
  if (seconds < 60) return `about ${Math.ceil(seconds)} s`;
  return `about ${Math.round(seconds / 60)} min`;
}
