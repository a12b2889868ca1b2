import { describe, expect, it } from 'vitest';
import type { Drink } from '../contracts/order-input';
import { placedOrderState, type OrderState } from '../contracts/order-state';
import { estimateStations } from '../contracts/station-estimate';
import { readyEstimate } from './order-estimate';

const drinks: Drink[] = [
  { tea: 'Oolong', sugar: 50, pearl: 'Black Pearl', topping: 'Taro' },
  { tea: 'Black', sugar: 0, pearl: 'None' },
];
const recipe = estimateStations(drinks);
const placedAt = '2026-11-23T12:00:00.000Z';
const placed = placedOrderState({ orderId: '6f1c1b1e-0000-4000-8000-000000000001', customerId: 'alice', drinks, placedAt, totalCents: 900 }, 1);
/** The label station's estimate, which the order carries once labelled. */
const labelled: OrderState = { ...placed, status: 'labelled', estimate: recipe, labelledAt: '2026-11-23T12:00:05.000Z', lastSequence: 3 };

const plus = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000).toISOString();
const tenths = (seconds: number) => Math.round(seconds * 10) / 10;
const total = (scale: number) => (recipe.labelSeconds + recipe.mixingSeconds + recipe.toppingSeconds) * scale;

describe('readyEstimate', () => {
  it('gives a placed order, not labelled yet, the estimate its labels will carry, scaled by the shop’s station time scale', () => {
    expect(readyEstimate(placed, 0.2)).toEqual({
      readyBy: plus(placedAt, total(0.2)),
      stationSeconds: { label: tenths(recipe.labelSeconds * 0.2), mix: tenths(recipe.mixingSeconds * 0.2), top: tenths(recipe.toppingSeconds * 0.2) },
      late: false,
    });
    expect(readyEstimate(placed, 1)?.readyBy).toBe(plus(placedAt, total(1)));
    expect(readyEstimate(placed, 0)?.readyBy, 'instant stations: ready as soon as placed').toBe(placedAt);
  });

  it('counts from when the order reached the station it is at, whatever the earlier ones took', () => {
    expect(readyEstimate(labelled, 1)?.readyBy).toBe(plus(labelled.labelledAt!, recipe.mixingSeconds + recipe.toppingSeconds));
    const mixed: OrderState = { ...labelled, status: 'mixed', mixedAt: '2026-11-23T12:00:30.000Z' };
    expect(readyEstimate(mixed, 1)?.readyBy).toBe(plus(mixed.mixedAt!, recipe.toppingSeconds));
  });

  it('moves the time on when the station the order is at runs late: its time again from when that was noticed', () => {
    const delay = { stage: 'mix' as const, slaSeconds: 20, at: plus(labelled.labelledAt!, 20) };
    const late: OrderState = { ...labelled, status: 'delayed', slaBreached: true, delays: [delay] };
    expect(readyEstimate(late, 1)).toMatchObject({ readyBy: plus(delay.at, recipe.mixingSeconds + recipe.toppingSeconds), late: true });
    // Once past that station, the delay is history: the next station's time counts from when it began.
    const caughtUp: OrderState = { ...late, status: 'mixed', mixedAt: plus(delay.at, 3) };
    expect(readyEstimate(caughtUp, 1)).toMatchObject({ readyBy: plus(caughtUp.mixedAt!, recipe.toppingSeconds), late: false });
  });

  it('has none once nothing more will be made', () => {
    expect(readyEstimate({ ...labelled, status: 'ready', mixedAt: placedAt, readyAt: placedAt }, 1)).toBeNull();
    expect(readyEstimate({ ...placed, status: 'cancelled', cancelledAt: placedAt, cancellationReason: 'no' }, 1)).toBeNull();
    expect(readyEstimate({ ...labelled, status: 'failed', failedAt: placedAt, failureReason: 'out of Taro' }, 1)).toBeNull();
    expect(readyEstimate({ ...placed, status: 'declined', declineReason: 'the card was declined', paymentId: null, paidCents: null }, 1)).toBeNull();
  });
});
