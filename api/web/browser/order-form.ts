/// <reference lib="dom" />
import { ApiError, getMenu, newIdempotencyKey, placeOrder, type Menu } from './api-client';
import { byId } from './dom';
import { createDrinkBuilder } from './drink-builder';
import { clearErrors, clearFieldError, showErrors } from './form-errors';

/**
 * The order form: the customer's name (remembered on this device), the drinks, and placing the order once,
 * however often the button is pressed, with the same Idempotency-Key for a retry of the same order. Every
 * other named control of the form is a field of the order by its name (contracts/order-input.ts), sent when
 * filled in.
 */

const CUSTOMER_KEY = 'bubble-tea-shop.customerId';

export interface OrderFormEvents {
  /** The order was accepted: follow it. */
  placed(orderId: string): Promise<void>;
  /** The name typed in is now this one (the page shows that customer's orders). */
  customerChanged(customerId: string): void;
  /** The menu is known: its sugar labels describe drinks everywhere on the page. */
  menuLoaded(menu: Menu): void;
}

export function startOrderForm(events: OrderFormEvents): { focusName(): void } {
  const form = byId<HTMLFormElement>('order-form');
  const nameInput = byId<HTMLInputElement>('customerId');
  const placeButton = byId<HTMLButtonElement>('place-order');
  /** The Idempotency-Key of the order being submitted: kept for a retry of the same order, dropped on any edit. */
  let pendingKey: string | undefined;
  let submitting = false;
  const builder = createDrinkBuilder({ onChange: () => (pendingKey = undefined), clearErrors });

  async function submit(event: Event): Promise<void> {
    event.preventDefault();
    if (submitting || !builder.menu()) return;
    submitting = true;
    placeButton.disabled = true;
    placeButton.textContent = 'Placing your order…';
    form.setAttribute('aria-busy', 'true');
    pendingKey ??= newIdempotencyKey();
    const customerId = nameInput.value.trim();
    try {
      const { orderId } = await placeOrder({ ...filledInFields(form), customerId, drinks: builder.drinks() }, pendingKey);
      pendingKey = undefined;
      clearErrors();
      remember(customerId);
      events.customerChanged(customerId);
      builder.reset();
      clearOrderFields(form);
      await events.placed(orderId);
    } catch (error) {
      // The key stays: sending the same order again cannot place it twice.
      const problem = error instanceof ApiError ? error : new ApiError(0, String(error));
      // Sold out since the menu was loaded: show the menu as it is now, then say what to change.
      if (problem.status === 409) await getMenu().then(builder.showMenu, () => undefined);
      showErrors(problem.message, problem.errors);
    } finally {
      submitting = false;
      placeButton.disabled = false;
      placeButton.textContent = 'Place order';
      form.removeAttribute('aria-busy');
    }
  }

  form.addEventListener('submit', (event) => void submit(event));
  form.addEventListener('input', (event) => {
    const control = event.target as HTMLElement;
    if (control.id) clearFieldError(control.id);
    pendingKey = undefined;
  });
  nameInput.addEventListener('change', () => events.customerChanged(nameInput.value.trim()));
  nameInput.value = remembered();
  byId<HTMLButtonElement>('add-drink').disabled = true;
  placeButton.disabled = true;
  if (nameInput.value) events.customerChanged(nameInput.value);

  void getMenu().then(
    (menu) => {
      builder.showMenu(menu);
      placeButton.disabled = false;
      events.menuLoaded(menu);
    },
    (error: unknown) => {
      byId('menu-status').textContent = `The menu could not be loaded: ${(error as Error).message}. Reload the page to try again.`;
    },
  );
  return { focusName: () => nameInput.focus() };
}

/** The order's own fields as filled in: each named control's value, trimmed, left out when empty. */
function filledInFields(form: HTMLFormElement): Record<string, string> {
  const values = [...new FormData(form)].map(([name, value]) => [name, String(value).trim()] as const);
  return Object.fromEntries(values.filter(([, value]) => value !== ''));
}

/** After an order is placed the next one starts blank, but for the customer's name. */
function clearOrderFields(form: HTMLFormElement): void {
  for (const control of form.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input[name], textarea[name]')) {
    if (control.name !== 'customerId') control.value = '';
  }
}

function remember(customerId: string): void {
  try {
    localStorage.setItem(CUSTOMER_KEY, customerId);
  } catch {
    // Storage may be off (private mode); the page works without it.
  }
}

function remembered(): string {
  try {
    return localStorage.getItem(CUSTOMER_KEY) ?? '';
  } catch {
    return '';
  }
}
