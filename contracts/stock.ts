import type { Drink } from './order-input';
import type { Station } from './names';
import type { StationFaults } from './station-faults';

/**
 * The shop's stock: what a station has run out of (injected at start, or set through the admin API) cannot be
 * made, so the menu marks it and an order that needs it is refused when it is placed, not failed after mixing.
 */

/** The code of a field problem asking for something sold out (POST /orders answers 409). */
export const OUT_OF_STOCK = 'out_of_stock';

/** An ingredient the shop cannot use now, and the station that lacks it. */
export interface Shortage {
  ingredient: string;
  station: Station;
}

/** Where the shop's stock is read from: the stations' current settings. */
export interface StockLevels {
  shortages(): Shortage[];
}

export function shortagesOf(faults: Record<Station, StationFaults>): Shortage[] {
  return (Object.keys(faults) as Station[]).flatMap((station) => faults[station].outOfStock.map((ingredient) => ({ ingredient, station })));
}

/** An ingredient a drink of an order needs that the shop lacks, with the field that asks for it. */
export interface MissingIngredient extends Shortage {
  field: string;
}

export function missingIngredients(drinks: readonly Drink[], shortages: readonly Shortage[]): MissingIngredient[] {
  return drinks.flatMap((drink, index) =>
    (['tea', 'pearl', 'topping'] as const).flatMap((field) => {
      const shortage = shortages.find((candidate) => candidate.ingredient === drink[field]);
      return shortage ? [{ ...shortage, field: `drinks[${index}].${field}` }] : [];
    }),
  );
}

/** The sentence a customer reads beside an item the shop lacks. */
export function shortageText(ingredient: string): string {
  return `${ingredient} is sold out for now`;
}
