/** How long each fault made orders wait, from the customers' clock and the read model's own timestamps. */

/** The read model counts as fresh while every event is applied within this long of being published. */
export const FRESH_LAG_MS = 2000;

export interface FaultWindow {
  /** The fault's name, or 'warm-up' for the baseline without faults. */
  fault: string;
  /** The kill (or, for the warm-up, the start of the load). */
  startsAt: number;
  /** The next kill, or the end of the drain for the last window. */
  endsAt: number;
  /** When the killed part was running again; absent for the warm-up and for a part that never came back. */
  backAt?: number;
}

export interface OrderTimes {
  requestedAt: number;
  accepted: boolean;
  /** When the read model showed the order ready or refunded (its last event applied); undefined if it never did. */
  terminalAt?: number;
  /** Its last event in the topic (or its first request): where an unfinished order stopped. */
  lastProgressAt: number;
}

export interface ReadTimes {
  at: number;
  ok: boolean;
}

export interface AppliedEventTimes {
  occurredAt: number;
  appliedAt: number;
}

export interface FaultWaits {
  fault: string;
  /** Accepted orders caught in flight by this kill, or placed in this window and not caught by a later kill; plus `unfinished`. */
  ordersInFlight: number;
  /** Of those, the ones that waited longer than the `affectedAfterMs` threshold, unfinished ones included. */
  ordersAffected: number;
  /** The longest first request → ready or refunded in the read model, among the finished orders in flight. */
  longestWaitMs: number;
  /** Orders that never finished and stopped in this window: the first kill at or after their last event. */
  unfinished: number;
  /** Orders first requested in this window that never got a 202. */
  refused: number;
  /** `GET /orders/:id` of the load in this window that did not answer 200. */
  failedReads: number;
  /** From the kill until the read model was fresh again (no event waiting longer than FRESH_LAG_MS to be applied): 0 if it never fell behind. */
  readModelFreshAfterMs: number;
  /** From the kill until the first order placed after the restart was ready in the read model: the shop works end to end again. */
  recoveredAfterMs?: number;
}

/**
 * The window a finished order counts for: the first kill that caught it in flight (it was placed before the
 * kill and finished after it), or else the window it was placed in. Each order counts once.
 */
function windowOf(windows: readonly FaultWindow[], order: OrderTimes): FaultWindow {
  const caughtBy = windows.slice(1).find((window) => order.requestedAt < window.startsAt && window.startsAt < order.terminalAt!);
  return caughtBy ?? windows.findLast((window) => window.startsAt <= order.requestedAt) ?? windows[0]!;
}

/** The window an unfinished order is blamed on: the first kill at or after its last progress, else the last window. */
function stuckIn(windows: readonly FaultWindow[], order: OrderTimes): FaultWindow {
  return windows.slice(1).find((window) => window.startsAt >= order.lastProgressAt) ?? windows.at(-1)!;
}

export function faultWaits(
  windows: readonly FaultWindow[],
  orders: readonly OrderTimes[],
  applied: readonly AppliedEventTimes[],
  reads: readonly ReadTimes[],
  { affectedAfterMs }: { affectedAfterMs: number },
): FaultWaits[] {
  const accepted = orders.filter((order) => order.accepted);
  const finished = accepted.filter((order) => order.terminalAt !== undefined);
  const unfinished = accepted.filter((order) => order.terminalAt === undefined);
  const late = applied.filter((event) => event.appliedAt - event.occurredAt > FRESH_LAG_MS);
  return windows.map((window) => {
    const inFlight = finished.filter((order) => windowOf(windows, order) === window);
    const waits = inFlight.map((order) => order.terminalAt! - order.requestedAt);
    const stuckHere = unfinished.filter((order) => stuckIn(windows, order) === window).length;
    // An event late to the read model keeps it stale from FRESH_LAG_MS after its publication until it is applied.
    const staleUntil = Math.max(
      window.startsAt,
      ...late.filter((event) => event.occurredAt + FRESH_LAG_MS < window.endsAt && event.appliedAt > window.startsAt).map((event) => event.appliedAt),
    );
    const backAt = window.backAt;
    const firstReady = backAt === undefined ? [] : finished.filter((order) => order.requestedAt >= backAt).map((order) => order.terminalAt!);
    return {
      fault: window.fault,
      ordersInFlight: inFlight.length + stuckHere,
      ordersAffected: waits.filter((wait) => wait > affectedAfterMs).length + stuckHere,
      longestWaitMs: Math.max(0, ...waits),
      unfinished: stuckHere,
      refused: orders.filter((order) => !order.accepted && order.requestedAt >= window.startsAt && order.requestedAt < window.endsAt).length,
      failedReads: reads.filter((read) => !read.ok && read.at >= window.startsAt && read.at < window.endsAt).length,
      readModelFreshAfterMs: staleUntil - window.startsAt,
      recoveredAfterMs: firstReady.length > 0 ? Math.min(...firstReady) - window.startsAt : undefined,
    };
  });
}

/**
 * The slowest order of the warm-up's second half that finished before the first fault, plus a second: slower
 * than that, an order was held up by a fault. The first half is left out (unless it is all there is) because
 * its orders meet workers that have just started.
 */
export function affectedThresholdMs(warmup: FaultWindow, orders: readonly OrderTimes[]): number {
  const finishedInWarmup = orders.filter((order) => order.accepted && order.requestedAt >= warmup.startsAt && order.terminalAt !== undefined && order.terminalAt < warmup.endsAt);
  const from = (warmup.startsAt + warmup.endsAt) / 2;
  const secondHalf = finishedInWarmup.filter((order) => order.requestedAt >= from);
  const waits = (secondHalf.length > 0 ? secondHalf : finishedInWarmup).map((order) => order.terminalAt! - order.requestedAt);
  return Math.max(0, ...waits) + 1000;
}
