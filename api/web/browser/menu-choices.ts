import type { DrinkChoice, Menu } from './api-client';

/** What the menu offers now: a sensible first drink, a random one, and why an item cannot be chosen. */

/** Why an item cannot be chosen now, or undefined if it can. */
export function soldOutReason(menu: Menu | undefined, item: string): string | undefined {
  return menu?.soldOut.find((shortage) => shortage.ingredient === item)?.reason;
}

function inStock<T extends string>(menu: Menu, items: readonly T[]): T[] {
  const available = items.filter((item) => soldOutReason(menu, item) === undefined);
  return available.length ? available : [...items];
}

function pick<T>(values: readonly T[]): T {
  return values[Math.floor(Math.random() * values.length)]!;
}

export function defaultDrink(menu: Menu): DrinkChoice {
  return { tea: inStock(menu, menu.teas)[0]!, sugar: menu.sugarLevels.includes(50) ? 50 : menu.sugarLevels[0]!, pearl: inStock(menu, menu.pearls)[0]! };
}

export function surpriseDrink(menu: Menu): DrinkChoice {
  // One chance in (toppings + 1) of no topping, like any other choice; never something sold out.
  const topping = pick([undefined, ...menu.toppings.filter((item) => soldOutReason(menu, item) === undefined)]);
  return { tea: pick(inStock(menu, menu.teas)), sugar: pick(menu.sugarLevels), pearl: pick(inStock(menu, menu.pearls)), ...(topping ? { topping } : {}) };
}

export function sugarText(menu: Menu | undefined, level: number): string {
  const label = menu?.sugarLabels[String(level)] ?? `${level}%`;
  return label === `${level}%` ? label : `${label} (${level}%)`;
}
