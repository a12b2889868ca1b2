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
