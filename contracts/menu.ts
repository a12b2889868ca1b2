import type { Drink } from './order-input';

/** What the shop sells, as on the seed's order page. Sugar is a percentage; 100 is "Full Throttle". */
export const MENU = {
  teas: ['Black', 'Oolong', 'Jasmine Green Tea'],
  sugarLevels: [0, 25, 50, 75, 100],
  pearls: ['Brown Sugar Pearl', 'Black Pearl', 'Lychee Pearl', 'Aloe Vera', 'None'],
  toppings: ['Strawberry', 'Brown Sugar', 'Matcha', 'Taro', 'Chocolate'],
} as const;

export const SUGAR_LABELS: Record<SugarLevel, string> = { 0: 'None', 25: '25%', 50: '50%', 75: '75%', 100: 'Full Throttle' };

export type Tea = (typeof MENU.teas)[number];
export type SugarLevel = (typeof MENU.sugarLevels)[number];
export type Pearl = (typeof MENU.pearls)[number];
export type Topping = (typeof MENU.toppings)[number];

export const MAX_DRINKS_PER_ORDER = 20;

/**
 * Prices in cents: a drink costs its tea, plus its pearls (unless none), plus its topping if it has one. The
 * first price list, from when orders began to record what each drink cost (OrderPlaced v2); it stays as it is
 * when prices change, since orders placed before then are priced by it (contracts/upcasters.ts).
 */
export const LAUNCH_PRICES_CENTS = {
  teas: { Black: 450, Oolong: 500, 'Jasmine Green Tea': 500 },
  pearls: 50,
  topping: 75,
} as const satisfies PriceList;

/** The one currency the shop trades in: every amount is an integer of its minor unit (cents). */
export const CURRENCY = 'USD';
export type Currency = typeof CURRENCY;

export interface PriceList {
  teas: Record<Tea, number>;
  pearls: number;
  topping: number;
}

/** Today's prices. */
export const PRICES_CENTS: PriceList = LAUNCH_PRICES_CENTS;

export function drinkPriceCents(drink: Drink, prices: PriceList = PRICES_CENTS): number {
  return prices.teas[drink.tea] + (drink.pearl === 'None' ? 0 : prices.pearls) + (drink.topping === undefined ? 0 : prices.topping);
}

/** What a list of priced drinks costs together, in cents. */
export function totalCents(drinks: ReadonlyArray<{ priceCents: number }>): number {
  return drinks.reduce((sum, drink) => sum + drink.priceCents, 0);
}

/** An amount in minor units as customers read it, e.g. 1275 → "$12.75". */
export function formatMoney(cents: number, currency: string = CURRENCY): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(cents / 100);
}

/** What drinks cost at today's prices, in cents: the total a customer sees while building the order. */
export function drinksPriceCents(drinks: readonly Drink[], prices: PriceList = PRICES_CENTS): number {
  return drinks.reduce((sum, drink) => sum + drinkPriceCents(drink, prices), 0);
}
