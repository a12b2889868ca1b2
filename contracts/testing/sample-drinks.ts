import type { Drink } from '../order-input';

/** Drinks for tests that need a real order but not particular drinks: each tea once, with and without pearls and topping. */
export const SAMPLE_DRINKS: readonly Drink[] = [
  { tea: 'Oolong', sugar: 50, pearl: 'Black Pearl', topping: 'Taro' },
  { tea: 'Black', sugar: 0, pearl: 'None' },
  { tea: 'Jasmine Green Tea', sugar: 100, pearl: 'Lychee Pearl', topping: 'Matcha' },
];
