import { describe, expect, it } from 'vitest';
import { NO_FAULTS } from './station-faults';
import { missingIngredients, shortagesOf } from './stock';

describe('stock', () => {
  const shortages = shortagesOf({ label: NO_FAULTS, mix: { ...NO_FAULTS, outOfStock: ['Oolong'] }, top: { ...NO_FAULTS, outOfStock: ['Taro', 'Black Pearl'] } });

  it('given station settings, lists every ingredient a station lacks with the station', () => {
    expect(shortages).toEqual([
      { ingredient: 'Oolong', station: 'mix' },
      { ingredient: 'Taro', station: 'top' },
      { ingredient: 'Black Pearl', station: 'top' },
    ]);
  });

  it('given an order, names each field that asks for something the shop lacks', () => {
    const drinks = [
      { tea: 'Black', sugar: 0, pearl: 'None' },
      { tea: 'Oolong', sugar: 50, pearl: 'Black Pearl', topping: 'Taro' },
    ] as const;
    expect(missingIngredients(drinks, shortages).map(({ field, ingredient }) => [field, ingredient])).toEqual([
      ['drinks[1].tea', 'Oolong'],
      ['drinks[1].pearl', 'Black Pearl'],
      ['drinks[1].topping', 'Taro'],
    ]);
    expect(missingIngredients([drinks[0]], shortages)).toEqual([]);
  });
});
