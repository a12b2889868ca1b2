import { createHash } from 'node:crypto';
import type { StationEstimate } from './events';
import type { Drink } from './order-input';

/**
 * The label station's estimate of how long each station will take, from the ingredients, as the seed's
 * label service does: a hash of the recipe picks a time, so the same drink always takes the same time.
 * Seconds, before STATION_TIME_SCALE. The API makes the same estimate for an order not labelled yet, so a
 * customer sees one from the moment the order is placed.
 */
export function estimateStations(drinks: readonly Drink[]): StationEstimate {
  return drinks.reduce<StationEstimate>(
    (total, drink) => {
      const recipeSeed = parseInt(createHash('md5').update(recipeOf(drink)).digest('hex').slice(-4), 16);
      return {
        labelSeconds: total.labelSeconds + 1 + (recipeSeed % 2),
        mixingSeconds: total.mixingSeconds + 4 + (recipeSeed % 8),
        toppingSeconds: total.toppingSeconds + (drink.topping ? 2 : 1),
      };
    },
    { labelSeconds: 0, mixingSeconds: 0, toppingSeconds: 0 },
  );
}

function recipeOf(drink: Drink): string {
  return [drink.tea, drink.sugar, drink.pearl, drink.topping ?? 'no topping'].join('@');
}
