/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { CUSTOMER_NAME_MAX_LENGTH } from '../../../contracts/customer-name';
import { drinksPriceCents, formatMoney, MAX_DRINKS_PER_ORDER } from '../../../contracts/menu';
import {
  ApiError,
  cancelOrder,
  followOrders,
  getMenu,
  getOrder,
  listOrders,
  newIdempotencyKey,
  placeOrder,
  type DrinkChoice,
  type FieldProblem,
  type Menu,
  type OrderView,
} from './api-client';
import { byId, h, replaceKeepingFocus, setText } from './dom';
import {
  STAGES,
  STAGE_NAMES,
  canCancel,
  currentStage,
  describeDrink,
  drinkCount,
  estimateSeconds,
  formatDateTime,
  formatDuration,
  formatTime,
  isFinal,
  isStopped,
  millisBetween,
  newer,
  orderPrice,
  shortId,
  stageSpan,
  stagesDone,
  headline,
  statusLabel,
} from './order-format';

/**
 * The customer page: build an order, place it, follow it live over Server-Sent Events, cancel it while that
 * is still allowed, and find past orders again.
 */

const CUSTOMER_KEY = 'bubble-tea-shop.customerId';
const DRINK_FIELDS = ['tea', 'sugar', 'pearl', 'topping'] as const;
type DrinkField = (typeof DRINK_FIELDS)[number];
const FIELD_NAMES: Record<DrinkField, string> = { tea: 'Tea', sugar: 'Sugar', pearl: 'Pearls', topping: 'Topping' };

const form = byId<HTMLFormElement>('order-form');
const nameInput = byId<HTMLInputElement>('customerId');
const drinkList = byId<HTMLOListElement>('drink-list');
const drinkCountText = byId('drink-count');
const drinksStatus = byId('menu-status');
const addDrinkButton = byId<HTMLButtonElement>('add-drink');
const placeButton = byId<HTMLButtonElement>('place-order');
const errorSummary = byId('form-errors');
const builder = byId('builder');
const tracker = byId('tracker');
const trackerHeading = byId('tracker-heading');
const cancelButton = byId<HTMLButtonElement>('cancel-order');
const cancelError = byId('cancel-error');
const historyList = byId<HTMLUListElement>('history-list');
const historyNote = byId('history-note');

let menu: Menu | undefined;
let drinks: DrinkChoice[] = [];
/** The Idempotency-Key of the order being submitted: kept for a retry of the same order, dropped on any edit. */
let pendingKey: string | undefined;
let submitting = false;

let followedId: string | undefined;
let followed: OrderView | undefined;
let stopFollowing: (() => void) | undefined;
let cancelling = false;
/** The live stream is down: the outage banner is up and the headline claims nothing. */
let disconnected = false;

let historyCustomer = '';
let historyOrders = new Map<string, OrderView>();

// ---- building the order -------------------------------------------------------------------------------------

/** Why an item cannot be chosen now, or undefined if it can. */
function soldOutReason(item: string): string | undefined {
  return menu?.soldOut.find((shortage) => shortage.ingredient === item)?.reason;
}

function inStock<T extends string>(items: readonly T[]): T[] {
  const available = items.filter((item) => soldOutReason(item) === undefined);
  return available.length ? available : [...items];
}

function defaultDrink(choices: Menu): DrinkChoice {
  return { tea: inStock(choices.teas)[0]!, sugar: choices.sugarLevels.includes(50) ? 50 : choices.sugarLevels[0]!, pearl: inStock(choices.pearls)[0]! };
}

function pick<T>(values: readonly T[]): T {
  return values[Math.floor(Math.random() * values.length)]!;
}

function surpriseDrink(choices: Menu): DrinkChoice {
  // One chance in (toppings + 1) of no topping, like any other choice; never something sold out.
  const topping = pick([undefined, ...choices.toppings.filter((item) => soldOutReason(item) === undefined)]);
  return { tea: pick(inStock(choices.teas)), sugar: pick(choices.sugarLevels), pearl: pick(inStock(choices.pearls)), ...(topping ? { topping } : {}) };
}

/** Says what is sold out, so a greyed-out choice is explained. */
function showStock(choices: Menu): void {
  const note = byId('stock-note');
  note.hidden = choices.soldOut.length === 0;
  note.textContent = choices.soldOut.length ? `Sold out for now: ${choices.soldOut.map((shortage) => shortage.ingredient).join(', ')}. These are greyed out below until the shop has them again.` : '';
}

function sugarText(level: number): string {
  const label = menu?.sugarLabels[String(level)] ?? `${level}%`;
  return label === `${level}%` ? label : `${label} (${level}%)`;
}

function orderChanged(): void {
  pendingKey = undefined;
  showTotal();
}

/** The order's total at today's prices, as the drinks are chosen (the menu's prices are the ones charged). */
function showTotal(): void {
  byId('order-total').textContent = formatMoney(drinksPriceCents(drinks));
}

function select(index: number, field: DrinkField, options: Array<[string, string]>, value: string): HTMLElement {
  const id = `drink-${index}-${field}`;
  const control = h(
    'select',
    { id, name: id, 'aria-describedby': `${id}-error` },
    options.map(([optionValue, text]) => {
      const soldOut = soldOutReason(optionValue);
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
    clearFieldError(id);
    orderChanged();
  });
  return h('div', { class: 'field' }, h('label', { for: id }, FIELD_NAMES[field]), h('p', { class: 'field-error', id: `${id}-error` }), control);
}

function drinkCard(drink: DrinkChoice, index: number, choices: Menu): HTMLLIElement {
  const number = index + 1;
  return h(
    'li',
    { class: 'drink-card', id: `drink-${index}` },
    h(
      'fieldset',
      { 'aria-describedby': `drink-${index}-error` },
      h('legend', {}, `Drink ${number}`),
      h('p', { class: 'field-error', id: `drink-${index}-error` }),
      h(
        'div',
        { class: 'drink-fields' },
        select(index, 'tea', choices.teas.map((tea) => [tea, tea]), drink.tea),
        select(index, 'sugar', choices.sugarLevels.map((level) => [String(level), sugarText(level)]), String(drink.sugar)),
        select(index, 'pearl', choices.pearls.map((pearl) => [pearl, pearl === 'None' ? 'No pearls' : pearl]), drink.pearl),
        select(index, 'topping', [['', 'No topping'], ...choices.toppings.map((topping): [string, string] => [topping, topping])], drink.topping ?? ''),
      ),
      h(
        'div',
        { class: 'drink-actions' },
        h('button', { type: 'button', class: 'secondary small', id: `drink-${index}-surprise`, 'aria-label': `Surprise me: a random drink ${number}`, onclick: () => surprise(index) }, 'Surprise me'),
        h(
          'button',
          { type: 'button', class: 'link-button small', id: `drink-${index}-remove`, disabled: drinks.length === 1, 'aria-label': `Remove drink ${number}`, onclick: () => removeDrink(index) },
          'Remove',
        ),
      ),
    ),
  );
}

function renderDrinks(focusId?: string): void {
  if (!menu) return;
  const choices = menu;
  drinkList.replaceChildren(...drinks.map((drink, index) => drinkCard(drink, index, choices)));
  drinkCountText.textContent = `(${drinks.length} of ${MAX_DRINKS_PER_ORDER})`;
  showTotal();
  addDrinkButton.disabled = drinks.length >= MAX_DRINKS_PER_ORDER;
  addDrinkButton.textContent = drinks.length >= MAX_DRINKS_PER_ORDER ? `${MAX_DRINKS_PER_ORDER} drinks is the most per order` : 'Add a drink';
  if (focusId) document.getElementById(focusId)?.focus();
}

function addDrink(): void {
  if (!menu || drinks.length >= MAX_DRINKS_PER_ORDER) return;
  drinks.push(defaultDrink(menu));
  orderChanged();
  clearErrors();
  renderDrinks(`drink-${drinks.length - 1}-tea`);
  setText(drinksStatus, `Drink ${drinks.length} added.`);
}

function removeDrink(index: number): void {
  if (drinks.length <= 1) return;
  drinks.splice(index, 1);
  orderChanged();
  clearErrors();
  renderDrinks(drinks.length > index ? `drink-${index}-remove` : 'add-drink');
  setText(drinksStatus, `Drink ${index + 1} removed, ${drinks.length} left.`);
}

function surprise(index: number): void {
  if (!menu) return;
  drinks[index] = surpriseDrink(menu);
  orderChanged();
  clearErrors();
  renderDrinks(`drink-${index}-surprise`);
  setText(drinksStatus, `Drink ${index + 1} is now ${describeDrink(drinks[index]!, menu.sugarLabels)}.`);
}

// ---- errors from the API ------------------------------------------------------------------------------------

/** Which control an API field such as `customerId` or `drinks[2].sugar` belongs to, if the page has one. */
function controlIdOf(field: string): string | undefined {
  if (field === 'customerId') return 'customerId';
  if (field === 'drinks') return 'drinks';
  const match = /^drinks\[(\d+)\](?:\.(\w+))?/.exec(field);
  if (!match || !document.getElementById(`drink-${match[1]}`)) return undefined;
  const drinkField = match[2] as DrinkField | undefined;
  return drinkField && DRINK_FIELDS.includes(drinkField) ? `drink-${match[1]}-${drinkField}` : `drink-${match[1]}`;
}

/** What a customer reads for a problem the API reports by code; the API's own sentence otherwise. */
function customerMessage(problem: FieldProblem): string {
  if (problem.field === 'customerId') {
    if (problem.code === 'too_small') return 'Please enter your name.';
    if (problem.code === 'too_big') return `Your name can be at most ${CUSTOMER_NAME_MAX_LENGTH} characters.`;
    if (problem.code === 'invalid_format') return "Your name can use letters, digits, single spaces between words and ' - . _ @.";
    if (problem.code === 'invalid_type') return 'Please enter your name.';
  }
  return problem.message;
}

function fieldName(field: string): string {
  if (field === 'customerId') return 'Your name';
  if (field === 'drinks') return 'Drinks';
  const match = /^drinks\[(\d+)\](?:\.(\w+))?/.exec(field);
  if (match) {
    const part = match[2] ? FIELD_NAMES[match[2] as DrinkField] ?? match[2] : undefined;
    return `Drink ${Number(match[1]) + 1}${part ? `, ${part.toLowerCase()}` : ''}`;
  }
  return field;
}

function clearFieldError(controlId: string): void {
  const message = document.getElementById(`${controlId}-error`);
  if (message) message.textContent = '';
  document.getElementById(controlId)?.removeAttribute('aria-invalid');
}

function clearErrors(): void {
  errorSummary.replaceChildren();
  for (const message of form.querySelectorAll<HTMLElement>('.field-error')) message.textContent = '';
  for (const control of form.querySelectorAll('[aria-invalid]')) control.removeAttribute('aria-invalid');
}

function showErrors(message: string, allProblems: FieldProblem[]): void {
  clearErrors();
  // One message per field: the first says what to fix.
  const problems = allProblems.filter((problem, index) => allProblems.findIndex((other) => other.field === problem.field) === index);
  const items = problems.map((problem) => {
    const controlId = controlIdOf(problem.field);
    const sentence = customerMessage(problem);
    const text = `${fieldName(problem.field)}: ${sentence}`;
    if (controlId) {
      const fieldMessage = document.getElementById(`${controlId}-error`);
      if (fieldMessage) fieldMessage.textContent = sentence;
      document.getElementById(controlId)?.setAttribute('aria-invalid', 'true');
      const target = controlId === 'drinks' ? 'add-drink' : /^drink-\d+$/.test(controlId) ? `${controlId}-tea` : controlId;
      return h('li', {}, h('a', { href: `#${target}`, onclick: (event: Event) => focusControl(event, target) }, text));
    }
    return h('li', {}, text);
  });
  const summary = problems.length && message === 'Invalid order' ? 'Some details need changing before we can make your order.' : message;
  errorSummary.replaceChildren(h('h2', {}, problems.length ? 'Please check your order' : 'Your order was not placed'), h('p', {}, summary), items.length ? h('ul', {}, items) : '');
  errorSummary.focus();
}

function focusControl(event: Event, id: string): void {
  event.preventDefault();
  const control = document.getElementById(id);
  control?.focus();
  control?.scrollIntoView({ block: 'center' });
}

// ---- placing it ---------------------------------------------------------------------------------------------

async function submit(event: Event): Promise<void> {
  event.preventDefault();
  if (submitting || !menu) return;
  submitting = true;
  placeButton.disabled = true;
  placeButton.textContent = 'Placing your order…';
  form.setAttribute('aria-busy', 'true');
  pendingKey ??= newIdempotencyKey();
  const customerId = nameInput.value.trim();
  try {
    const { orderId } = await placeOrder({ customerId, drinks }, pendingKey);
    pendingKey = undefined;
    clearErrors();
    rememberCustomer(customerId);
    drinks = [defaultDrink(menu)];
    renderDrinks();
    await follow(orderId, true);
  } catch (error) {
    // The key stays: sending the same order again cannot place it twice.
    const problem = error instanceof ApiError ? error : new ApiError(0, String(error));
    // Sold out since the menu was loaded: show the menu as it is now, then say what to change.
    if (problem.status === 409) await reloadMenu();
    showErrors(problem.message, problem.errors);
  } finally {
    submitting = false;
    placeButton.disabled = false;
    placeButton.textContent = 'Place order';
    form.removeAttribute('aria-busy');
  }
}

async function reloadMenu(): Promise<void> {
  try {
    menu = await getMenu();
    showStock(menu);
    renderDrinks();
  } catch {
    // The menu as it was stays; the errors still say what to change.
  }
}

function rememberCustomer(customerId: string): void {
  try {
    localStorage.setItem(CUSTOMER_KEY, customerId);
  } catch {
    // Storage may be off (private mode); the page works without it.
  }
  if (customerId !== historyCustomer) void loadHistory(customerId);
}

function rememberedCustomer(): string {
  try {
    return localStorage.getItem(CUSTOMER_KEY) ?? '';
  } catch {
    return '';
  }
}

// ---- following it -------------------------------------------------------------------------------------------

function showBuilder(): void {
  stopFollowing?.();
  stopFollowing = undefined;
  followedId = undefined;
  followed = undefined;
  tracker.hidden = true;
  builder.hidden = false;
  renderHistory();
}

async function follow(orderId: string, push: boolean): Promise<void> {
  stopFollowing?.();
  stopFollowing = undefined;
  followedId = orderId;
  followed = undefined;
  if (push) history.pushState({ orderId }, '', `/?order=${encodeURIComponent(orderId)}`);
  builder.hidden = true;
  tracker.hidden = false;
  cancelError.hidden = true;
  byId('order-meta').textContent = `Order ${shortId(orderId)}`;
  setText(byId('order-status'), 'Looking up your order…');
  for (const id of ['order-stages', 'order-estimate', 'order-notices', 'order-drinks', 'live-note']) byId(id).replaceChildren();
  byId('progress-fill').style.width = '0';
  byId('order-details').hidden = true;
  byId('order-drinks-heading').hidden = true;
  showOutage(false);
  cancelButton.hidden = true;
  trackerHeading.focus();
  renderHistory();

  let order: OrderView;
  try {
    order = await getOrder(orderId);
  } catch (error) {
    if (followedId !== orderId) return;
    const status = error instanceof ApiError ? error.status : 0;
    setText(
      byId('order-status'),
      status === 404 || status === 400
        ? `We cannot find an order ${shortId(orderId)}: check the link, or find your order under “Your orders”.`
        : status === 401
          ? 'Enter your name on the order page first: your orders are shown only to you.'
          : (error as Error).message,
    );
    return;
  }
  if (followedId !== orderId) return;
  renderOrder(order);
  if (isFinal(order)) return;

  const liveNote = byId('live-note');
  stopFollowing = followOrders(
    `/orders/${encodeURIComponent(orderId)}/stream`,
    (update) => {
      if (update.orderId === orderId && followedId === orderId && newer(followed, update)) renderOrder(update);
    },
    (state) => {
      if (followedId !== orderId || (followed && isFinal(followed))) return;
      liveNote.textContent = state === 'live' ? 'Live: this page updates by itself.' : '';
      showOutage(state !== 'live');
    },
  );
}

/**
 * While the shop cannot be reached, an alert says so and the headline stops claiming progress it cannot see;
 * once it is back, the order is shown as it is then.
 */
function showOutage(on: boolean): void {
  if (disconnected === on) return;
  disconnected = on;
  const banner = byId('outage');
  banner.hidden = !on;
  banner.textContent = on ? 'We have lost the connection to the shop and are reconnecting. Your order is not affected; this page catches up once we are back.' : '';
  if (on) setText(byId('order-status'), 'Reconnecting to the shop…');
  else if (followed) renderOrder(followed);
}

function renderOrder(order: OrderView): void {
  followed = order;
  byId('order-details').hidden = false;
  byId('order-drinks-heading').hidden = false;
  byId('order-meta').textContent = `Order ${shortId(order.orderId)} for ${order.customerId} · ${drinkCount(order)} · ${orderPrice(order)} · placed ${formatDateTime(order.placedAt)}`;
  if (!disconnected) setText(byId('order-status'), headline(order));

  const stopped = isStopped(order);
  const late = order.status === 'delayed';
  const fill = byId('progress-fill');
  fill.style.width = `${(stagesDone(order) / STAGES.length) * 100}%`;
  fill.className = `progress-fill${stopped ? ' stopped' : late ? ' late' : order.readyAt ? ' done' : ''}`;

  const now = currentStage(order);
  byId('order-stages').replaceChildren(
    ...STAGES.map((stage) => {
      const { from, to } = stageSpan(order, stage);
      const state = to !== null ? 'done' : stage !== now ? 'pending' : stopped ? 'stopped' : late ? 'late' : 'current';
      const detail = {
        done: from && to ? formatDuration(millisBetween(from, to)) : 'done',
        current: 'in progress',
        late: 'running late',
        stopped: order.cancelledAt ? 'cancelled' : 'failed',
        pending: 'waiting',
      }[state];
      return h(
        'li',
        { class: `stage stage-${state}`, 'aria-current': state === 'current' || state === 'late' ? 'step' : undefined },
        h('span', { class: 'stage-name' }, STAGE_NAMES[stage]),
        h('span', { class: 'stage-detail' }, state === 'done' ? h('span', { class: 'visually-hidden' }, 'done in ') : null, detail),
      );
    }),
  );

  const estimate = estimateSeconds(order);
  const estimateText = byId('order-estimate');
  if (order.readyAt) estimateText.textContent = `Made in ${formatDuration(millisBetween(order.placedAt, order.readyAt))}, from order to ready.`;
  else if (stopped) estimateText.textContent = '';
  else if (estimate !== undefined && order.estimate) {
    const { labelSeconds, mixingSeconds, toppingSeconds } = order.estimate;
    estimateText.textContent = `Estimated station time: about ${estimate} s at the stations’ normal speed (label ${labelSeconds} s, mix ${mixingSeconds} s, top ${toppingSeconds} s).`;
  } else estimateText.textContent = 'You get a time estimate once your labels are printed.';

  byId('order-notices').replaceChildren(...notices(order));
  cancelButton.hidden = !canCancel(order) && !cancelling;
  byId('order-drinks').replaceChildren(...order.drinks.map((drink) => h('li', {}, describeDrink(drink, menu?.sugarLabels))));
  upsertHistory(order);
  if (isFinal(order)) {
    // Nothing more will happen to it.
    stopFollowing?.();
    stopFollowing = undefined;
    byId('live-note').textContent = '';
  }
}

function notices(order: OrderView): HTMLElement[] {
  const list: HTMLElement[] = [];
  const lastDelay = order.delays[order.delays.length - 1];
  if (order.status === 'delayed' && lastDelay) {
    list.push(h('p', { class: 'notice notice-warn' }, `Running late at the ${lastDelay.stage} station (it should take at most ${Math.round(lastDelay.slaSeconds)} s). Your order is still being made.`));
  } else if (order.slaBreached && lastDelay && !isStopped(order)) {
    list.push(h('p', { class: 'notice notice-warn' }, `This order ran late at the ${order.delays.map((delay) => delay.stage).join(' and ')} station${order.delays.length > 1 ? 's' : ''}. Sorry for the wait!`));
  }
  if (order.cancelledAt) list.push(h('p', { class: 'notice notice-info' }, `Cancelled at ${formatTime(order.cancelledAt)}: ${order.cancellationReason ?? 'no reason given'}.`));
  if (order.failedAt) list.push(h('p', { class: 'notice notice-error' }, `Failed at ${formatTime(order.failedAt)}: ${order.failureReason ?? 'no reason given'}.`));
  if (order.declineReason) list.push(h('p', { class: 'notice notice-error' }, `Your payment of ${orderPrice(order)} was declined (${order.declineReason}). Nothing was charged.`));
  if (order.refundedAt) list.push(h('p', { class: 'notice notice-ok' }, refundText(order)));
  else if (isStopped(order) && !order.declineReason) list.push(h('p', { class: 'notice notice-info' }, 'Your refund is on its way.'));
  return list;
}

function refundText(order: OrderView): string {
  const at = formatTime(order.refundedAt!);
  if (!order.refundedCents) return `Closed at ${at}: nothing had been charged, so there is nothing to refund.`;
  return `Refunded ${formatMoney(order.refundedCents, order.currency)} at ${at}, all you paid (refund ${order.refundId}).`;
}

async function cancel(): Promise<void> {
  const orderId = followedId;
  if (!orderId || cancelling) return;
  if (!window.confirm(`Cancel order ${shortId(orderId)}? Nothing will be made and you get back all you paid${followed ? ` (${orderPrice(followed)})` : ''}.`)) return;
  cancelling = true;
  cancelButton.disabled = true;
  cancelButton.textContent = 'Cancelling…';
  cancelError.hidden = true;
  try {
    const order = await cancelOrder(orderId);
    if (followedId === orderId && newer(followed, order)) renderOrder(order);
  } catch (error) {
    const tooLate = error instanceof ApiError && error.status === 409;
    cancelError.textContent = tooLate ? 'Too late to cancel: your tea is already being mixed.' : `Not cancelled: ${error instanceof Error ? error.message : String(error)}`;
    cancelError.hidden = false;
  } finally {
    cancelling = false;
    cancelButton.disabled = false;
    cancelButton.textContent = 'Cancel order';
    if (followed) cancelButton.hidden = !canCancel(followed);
    if (cancelButton.hidden) trackerHeading.focus();
  }
}

// ---- past orders --------------------------------------------------------------------------------------------

async function loadHistory(customerId: string): Promise<void> {
  historyCustomer = customerId;
  historyOrders = new Map();
  if (!customerId) {
    historyNote.textContent = 'Enter your name to see your orders.';
    renderHistory();
    return;
  }
  historyNote.textContent = `Loading the orders of ${customerId}…`;
  try {
    const page = await listOrders({ customer: customerId, limit: 20 });
    if (historyCustomer !== customerId) return;
    for (const order of page.orders) if (newer(historyOrders.get(order.orderId), order)) historyOrders.set(order.orderId, order);
    if (followed?.customerId === customerId && newer(historyOrders.get(followed.orderId), followed)) historyOrders.set(followed.orderId, followed);
    renderHistory();
  } catch (error) {
    if (historyCustomer === customerId) historyNote.textContent = `Your orders could not be loaded: ${(error as Error).message}`;
  }
}

function upsertHistory(order: OrderView): void {
  if (order.customerId !== historyCustomer || !newer(historyOrders.get(order.orderId), order)) return;
  historyOrders.set(order.orderId, order);
  renderHistory();
}

function renderHistory(): void {
  const orders = [...historyOrders.values()].sort((a, b) => b.placedAt.localeCompare(a.placedAt)).slice(0, 20);
  if (historyCustomer) historyNote.textContent = orders.length ? `The last orders of ${historyCustomer}, newest first.` : `No orders for ${historyCustomer} yet.`;
  replaceKeepingFocus(
    historyList,
    ...orders.map((order) =>
      h(
        'li',
        { class: `history-item${order.orderId === followedId ? ' current' : ''}` },
        h(
          'a',
          { href: `/?order=${order.orderId}`, 'data-key': order.orderId, 'aria-current': order.orderId === followedId ? 'true' : undefined, onclick: (event: Event) => openOrder(event, order.orderId) },
          `Order ${shortId(order.orderId)}`,
        ),
        h('span', { class: `badge badge-${order.status}` }, statusLabel(order)),
        h('span', { class: 'muted' }, `${drinkCount(order)} · ${orderPrice(order)} · ${formatDateTime(order.placedAt)}`),
      ),
    ),
  );
}

function openOrder(event: Event, orderId: string): void {
  const click = event as MouseEvent;
  if (click.ctrlKey || click.metaKey || click.shiftKey || click.button !== 0) return;
  event.preventDefault();
  void follow(orderId, true);
}

// ---- start --------------------------------------------------------------------------------------------------

function route(): void {
  const orderId = new URLSearchParams(location.search).get('order');
  if (orderId) void follow(orderId, false);
  else showBuilder();
}

async function start(): Promise<void> {
  form.addEventListener('submit', (event) => void submit(event));
  addDrinkButton.addEventListener('click', addDrink);
  cancelButton.addEventListener('click', () => void cancel());
  byId('new-order').addEventListener('click', () => {
    history.pushState({}, '', '/');
    showBuilder();
    nameInput.focus();
  });
  nameInput.addEventListener('input', () => {
    clearFieldError('customerId');
    orderChanged();
  });
  nameInput.addEventListener('change', () => {
    const customerId = nameInput.value.trim();
    if (customerId !== historyCustomer) void loadHistory(customerId);
  });
  window.addEventListener('popstate', route);

  nameInput.value = rememberedCustomer();
  addDrinkButton.disabled = true;
  placeButton.disabled = true;
  if (nameInput.value) void loadHistory(nameInput.value);
  route();

  try {
    menu = await getMenu();
  } catch (error) {
    drinksStatus.textContent = `The menu could not be loaded: ${(error as Error).message}. Reload the page to try again.`;
    return;
  }
  drinks = [defaultDrink(menu)];
  drinksStatus.textContent = '';
  showStock(menu);
  placeButton.disabled = false;
  renderDrinks();
  if (followed) renderOrder(followed);
}

void start();
