import { describe, expect, it } from 'vitest';
import { affectedThresholdMs, faultWaits, type FaultWindow, type OrderTimes } from './fault-waits';

const s = (seconds: number) => seconds * 1000;
const windows: FaultWindow[] = [
  { fault: 'warm-up', startsAt: s(0), endsAt: s(10) },
  { fault: 'projector', startsAt: s(10), endsAt: s(30), backAt: s(14) },
  { fault: 'station:mix', startsAt: s(30), endsAt: s(50), backAt: s(33) },
];
const order = (requested: number, finished?: number, lastProgress = requested): OrderTimes => ({
  requestedAt: s(requested),
  accepted: true,
  terminalAt: finished === undefined ? undefined : s(finished),
  lastProgressAt: s(lastProgress),
});

describe('how long each fault made orders wait', () => {
  const orders = [
    order(6, 8), // warm-up only: 2 s
    order(9, 25), // in flight when the projector died: 16 s
    order(16, 18), // placed after the restart: the shop works again at 18 s
    order(28, 40), // placed while the shop had recovered, caught by the mixer's kill: counts for that fault only
    order(29, undefined, 29.5), // stopped just before the mixer was killed
    { requestedAt: s(31), accepted: false, lastProgressAt: s(31) },
  ];
  const applied = [
    { occurredAt: s(11), appliedAt: s(24) }, // 13 s late (more than FRESH_LAG_MS): stale while the projector was down
    { occurredAt: s(35), appliedAt: s(35.2) },
  ];
  const reads = [
    { at: s(12), ok: false },
    { at: s(40), ok: true },
  ];
  const [warmup, projector, mix] = faultWaits(windows, orders, applied, reads, { affectedAfterMs: affectedThresholdMs(windows[0]!, orders) });

  it('takes the warm-up as the baseline: its slowest order finished before the first kill, plus a second', () => {
    expect(affectedThresholdMs(windows[0]!, orders)).toBe(s(3));
    expect(warmup).toMatchObject({ ordersInFlight: 1, longestWaitMs: s(2), unfinished: 0, recoveredAfterMs: undefined });
  });

  it('measures the orders in flight during a fault, the stale read model and the time until an order placed after the restart is ready', () => {
    expect(projector).toEqual({
      fault: 'projector',
      ordersInFlight: 2,
      ordersAffected: 1,
      longestWaitMs: s(16),
      unfinished: 0,
      refused: 0,
      failedReads: 1,
      readModelFreshAfterMs: s(14),
      recoveredAfterMs: s(8),
    });
  });

  it('counts an order for the kill that caught it, blames one that never finished on the first kill after its last progress, and counts refused orders where they were placed', () => {
    expect(mix).toMatchObject({ ordersInFlight: 2, ordersAffected: 2, unfinished: 1, refused: 1, longestWaitMs: s(12), readModelFreshAfterMs: 0, recoveredAfterMs: undefined });
  });

  it('leaves an order held since an earlier fault to that fault, and falls back to the whole warm-up for the baseline', () => {
    const heldLong = [order(2, 4), order(9, 45)];
    const [, projectorWindow, mixWindow] = faultWaits(windows, heldLong, [], [], { affectedAfterMs: affectedThresholdMs(windows[0]!, heldLong) });
    expect(affectedThresholdMs(windows[0]!, heldLong)).toBe(s(3));
    expect(projectorWindow).toMatchObject({ ordersInFlight: 1, ordersAffected: 1, longestWaitMs: s(36) });
    expect(mixWindow).toMatchObject({ ordersInFlight: 0, ordersAffected: 0, longestWaitMs: 0 });
  });
});
