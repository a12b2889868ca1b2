/** The choices of one drink on the order form, in the order they are shown, with their labels. */
export const DRINK_FIELDS = ['tea', 'sugar', 'pearl', 'topping'] as const;
export type DrinkField = (typeof DRINK_FIELDS)[number];
export const FIELD_NAMES: Record<DrinkField, string> = { tea: 'Tea', sugar: 'Sugar', pearl: 'Pearls', topping: 'Topping' };
