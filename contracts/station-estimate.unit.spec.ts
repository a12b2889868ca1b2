import { describe, expect, it } from 'vitest';
import type { Drink } from './order-input';
import { estimateStations } from './station-estimate';

const taro: Drink = { tea: 'Oolong', sugar: 50, pearl: 'Black Pearl', topping: 'Taro' };
const plain: Drink = { tea: 'Black', sugar: 0, pearl: 'None' };

describe('estimateStations', () => {
  it('gives the same drink the same time, within the station ranges', () => {
    const first = estimateStations([taro]);
    expect(estimateStations([taro])).toEqual(first);
    expect(first.labelSeconds).toBeGreaterThanOrEqual(1);
    expect(first.labelSeconds).toBeLessThanOrEqual(2);
    expect(first.mixingSeconds).toBeGreaterThanOrEqual(4);
    expect(first.mixingSeconds).toBeLessThanOrEqual(11);
    expect(first.toppingSeconds).toBe(2);
    expect(estimateStations([plain]).toppingSeconds).toBe(1);
  });

  it('adds the drinks of an order up', () => {
    const both = estimateStations([taro, plain]);
    const [one, two] = [estimateStations([taro]), estimateStations([plain])];
    expect(both).toEqual({
      labelSeconds: one.labelSeconds + two.labelSeconds,
      mixingSeconds: one.mixingSeconds + two.mixingSeconds,
      toppingSeconds: one.toppingSeconds + two.toppingSeconds,
    });
  });

  it('depends on the ingredients', () => {
    const teas = (['Black', 'Oolong', 'Jasmine Green Tea'] as const).map((tea) => estimateStations([{ ...plain, tea }]).mixingSeconds);
    const sugars = ([0, 25, 50, 75, 100] as const).map((sugar) => estimateStations([{ ...plain, sugar }]).mixingSeconds);
    expect(new Set([...teas, ...sugars]).size).toBeGreaterThan(1);
  });
});
