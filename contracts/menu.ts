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

export interface Drink {
  tea: Tea;
  sugar: SugarLevel;
  pearl: Pearl;
  /** Optional: a drink may have no topping. */
  topping?: Topping;
}

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
