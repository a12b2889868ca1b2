/// <reference lib="dom" />
import { drinksPriceCents, formatMoney, MAX_DRINKS_PER_ORDER } from '../../../contracts/menu';
import type { DrinkChoice, Menu } from './api-client';
import { byId, h, setText } from './dom';
import { DRINK_FIELDS, FIELD_NAMES, type DrinkField } from './drink-fields';
import { defaultDrink, soldOutReason, sugarText, surpriseDrink } from './menu-choices';
import { describeDrink } from './order-format';

/** The drinks of the order being built: one card of choices per drink, added, removed or picked at random, with the total. */

export interface DrinkBuilder {
  /** The menu as it is now (a reload after a refusal shows what ran out); the first one starts the order. */
  showMenu(menu: Menu): void;
  menu(): Menu | undefined;
  drinks(): DrinkChoice[];
  /** A fresh order of one drink, once the last one was placed. */
  reset(): void;
}

export function createDrinkBuilder({ onChange, clearErrors }: { onChange: () => void; clearErrors: () => void }): DrinkBuilder {
  const list = byId<HTMLOListElement>('drink-list');
  const status = byId('menu-status');
  const addButton = byId<HTMLButtonElement>('add-drink');
  let menu: Menu | undefined;
  let drinks: DrinkChoice[] = [];

  const changed = () => {
    onChange();
    byId('order-total').textContent = formatMoney(drinksPriceCents(drinks));
  };

  function select(index: number, field: DrinkField, options: Array<[string, string]>, value: string): HTMLElement {
    const id = `drink-${index}-${field}`;
    const control = h(
      'select',
      // No name: the drinks are sent as `drinks`, and the form sends only the order's own fields by name.
      { id, 'aria-describedby': `${id}-error` },
      options.map(([optionValue, text]) => {
        const soldOut = soldOutReason(menu, optionValue);
        return h('option', { value: optionValue, selected: optionValue === value, disabled: soldOut !== undefined }, soldOut ? `${text} (sold out)` : text);
      }),
    );
    control.addEventListener('change', () => {
      const drink = drinks[index]!;
      const chosen = control.value;
      if (field === 'sugar') drink.sugar = Number(chosen) as DrinkChoice['sugar'];
      else if (field === 'topping') {
        if (chosen) drink.topping = chosen as NonNullable<DrinkChoice['topping']>;
        else delete drink.topping;
      } else (drink as unknown as Record<string, string>)[field] = chosen;
      const message = document.getElementById(`${id}-error`);
      if (message) message.textContent = '';
      control.removeAttribute('aria-invalid');
      changed();
    });
    return h('div', { class: 'field' }, h('label', { for: id }, FIELD_NAMES[field]), h('p', { class: 'field-error', id: `${id}-error` }), control);
  }

  function card(drink: DrinkChoice, index: number, choices: Menu): HTMLLIElement {
    const number = index + 1;
    const options: Record<DrinkField, Array<[string, string]>> = {
      tea: choices.teas.map((tea) => [tea, tea]),
      sugar: choices.sugarLevels.map((level) => [String(level), sugarText(choices, level)]),
      pearl: choices.pearls.map((pearl) => [pearl, pearl === 'None' ? 'No pearls' : pearl]),
      topping: [['', 'No topping'], ...choices.toppings.map((topping): [string, string] => [topping, topping])],
    };
    const values: Record<DrinkField, string> = { tea: drink.tea, sugar: String(drink.sugar), pearl: drink.pearl, topping: drink.topping ?? '' };
    return h(
      'li',
      { class: 'drink-card', id: `drink-${index}` },
      h(
        'fieldset',
        { 'aria-describedby': `drink-${index}-error` },
        h('legend', {}, `Drink ${number}`),
        h('p', { class: 'field-error', id: `drink-${index}-error` }),
        h('div', { class: 'drink-fields' }, DRINK_FIELDS.map((field) => select(index, field, options[field], values[field]))),
        h(
          'div',
          { class: 'drink-actions' },
          h('button', { type: 'button', class: 'secondary small', id: `drink-${index}-surprise`, 'aria-label': `Surprise me: a random drink ${number}`, onclick: () => surprise(index) }, 'Surprise me'),
          h(
            'button',
            { type: 'button', class: 'link-button small', id: `drink-${index}-remove`, disabled: drinks.length === 1, 'aria-label': `Remove drink ${number}`, onclick: () => remove(index) },
            'Remove',
          ),
        ),
      ),
    );
  }

  function render(focusId?: string): void {
    if (!menu) return;
    const choices = menu;
    list.replaceChildren(...drinks.map((drink, index) => card(drink, index, choices)));
    byId('drink-count').textContent = `(${drinks.length} of ${MAX_DRINKS_PER_ORDER})`;
    byId('order-total').textContent = formatMoney(drinksPriceCents(drinks));
    addButton.disabled = drinks.length >= MAX_DRINKS_PER_ORDER;
    addButton.textContent = drinks.length >= MAX_DRINKS_PER_ORDER ? `${MAX_DRINKS_PER_ORDER} drinks is the most per order` : 'Add a drink';
    if (focusId) document.getElementById(focusId)?.focus();
  }

  /** Every change of the drinks: the order is a new one (a new Idempotency-Key), and old errors go. */
  function edited(focusId: string, announcement: string): void {
    changed();
    clearErrors();
    render(focusId);
    setText(status, announcement);
  }

  function add(): void {
    if (!menu || drinks.length >= MAX_DRINKS_PER_ORDER) return;
    drinks.push(defaultDrink(menu));
    edited(`drink-${drinks.length - 1}-tea`, `Drink ${drinks.length} added.`);
  }

  function remove(index: number): void {
    if (drinks.length <= 1) return;
    drinks.splice(index, 1);
    edited(drinks.length > index ? `drink-${index}-remove` : 'add-drink', `Drink ${index + 1} removed, ${drinks.length} left.`);
  }

  function surprise(index: number): void {
    if (!menu) return;
    drinks[index] = surpriseDrink(menu);
    edited(`drink-${index}-surprise`, `Drink ${index + 1} is now ${describeDrink(drinks[index]!, menu.sugarLabels)}.`);
  }

  addButton.addEventListener('click', add);
  return {
    showMenu(choices) {
      const first = menu === undefined;
      menu = choices;
      if (first) drinks = [defaultDrink(choices)];
      status.textContent = '';
      const note = byId('stock-note');
      note.hidden = choices.soldOut.length === 0;
      note.textContent = choices.soldOut.length
        ? `Sold out for now: ${choices.soldOut.map((shortage) => shortage.ingredient).join(', ')}. These are greyed out below until the shop has them again.`
        : '';
      render();
    },
    menu: () => menu,
    drinks: () => drinks,
    reset() {
      if (!menu) return;
      drinks = [defaultDrink(menu)];
      render();
    },
  };
}
