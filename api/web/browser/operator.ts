/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { currentSession, followOrders, listOrders, signInAsOperator, type OrderView } from './api-client';
import { byId, h, replaceKeepingFocus, setText } from './dom';
import { breachText, orderLink, PROBLEM_HEADINGS, problemRow, problemTime, READY_HEADINGS, readyRow, stageTime, table } from './board-rows';
import { STAGES, STAGE_NAMES, describeDrink, drinkCount, formatDuration, isFinal, isStopped, millisBetween, newer, orderPrice, statusLabel } from './order-format';
import { startReportsPanel } from './reports-panel';

/*
 * The operator board: every order in flight by station, late ones flagged, failures with their reasons and
 * the orders ready lately, each linked to its workflow. Loads the newest orders once, then follows
 * `/orders/stream`.
 */

type Lane = 'placed' | 'labelled' | 'mixed';
const LANES: readonly Lane[] = ['placed', 'labelled', 'mixed'];
const RECENT_READY = 20;
const RECENT_PROBLEMS = 10;

const orders = new Map<string, OrderView>();
const workflowTemplate = workflowUrlTemplate();
let renderScheduled = false;

function workflowUrlTemplate(): string | undefined {
  const content = document.querySelector<HTMLMetaElement>('meta[name="workflow-url-template"]')?.content;
  return content && content.includes('{orderId}') && !content.includes('{{') ? content : undefined;
}

function workflowUrl(order: OrderView): string | undefined {
  return order.links?.workflow ?? workflowTemplate?.replace('{orderId}', order.orderId);
}

function apply(order: OrderView): void {
  const known = orders.get(order.orderId);
  if (!newer(known, order)) return;
  // A list entry has no links; keep the ones a stream update brought.
  orders.set(order.orderId, { ...order, links: order.links ?? known?.links });
  scheduleRender();
}

function scheduleRender(): void {
  if (renderScheduled) return;
  renderScheduled = true;
  setTimeout(() => {
    renderScheduled = false;
    render();
  }, 50);
}

function laneOf(order: OrderView): Lane | undefined {
  if (isFinal(order) || isStopped(order)) return undefined;
  if (order.mixedAt !== null) return 'mixed';
  if (order.labelledAt !== null) return 'labelled';
  return 'placed';
}

function card(order: OrderView): HTMLLIElement {
  const late = order.status === 'delayed';
  const more = order.drinks.length > 1 ? ` + ${order.drinks.length - 1} more` : '';
  return h(
    'li',
    { class: `card${late ? ' late' : order.slaBreached ? ' breached' : ''}` },
    h('div', { class: 'card-head' }, orderLink(order, workflowUrl(order)), h('span', { class: `badge badge-${order.status}` }, statusLabel(order))),
    h('p', { class: 'card-customer' }, h('strong', {}, order.customerId), ` · ${drinkCount(order)} · ${orderPrice(order)}`),
    h('p', { class: 'card-drinks muted' }, `${describeDrink(order.drinks[0]!)}${more}`),
    order.note ? h('p', { class: 'card-drinks' }, h('strong', {}, 'Note: '), order.note) : null,
    h('dl', { class: 'stage-times' }, STAGES.map((stage) => h('div', {}, h('dt', {}, STAGE_NAMES[stage]), h('dd', {}, stageTime(order, stage))))),
    order.slaBreached ? h('p', { class: 'flag' }, `${late ? 'Running late' : 'Was late'} at ${breachText(order)}`) : null,
    h('p', { class: 'card-age muted' }, 'In the shop for ', h('span', { 'data-since': order.placedAt }, formatDuration(millisBetween(order.placedAt, new Date())))),
  );
}

// ---- the board ----------------------------------------------------------------------------------------------

function render(): void {
  const all = [...orders.values()];
  const byLane = new Map<Lane, OrderView[]>(LANES.map((lane) => [lane, []]));
  for (const order of all) {
    const lane = laneOf(order);
    if (lane) byLane.get(lane)!.push(order);
  }
  for (const lane of LANES) {
    // Late orders first, then the oldest: what needs a look is on top.
    const inLane = byLane.get(lane)!.sort((a, b) => Number(b.status === 'delayed') - Number(a.status === 'delayed') || a.placedAt.localeCompare(b.placedAt));
    setText(byId(`lane-${lane}-count`), String(inLane.length));
    const list = byId(`lane-${lane}`);
    if (inLane.length === 0) replaceKeepingFocus(list, h('li', { class: 'empty muted' }, 'No orders here.'));
    else replaceKeepingFocus(list, ...inLane.map(card));
  }

  const problems = all
    .filter(isStopped)
    .sort((a, b) => problemTime(b).localeCompare(problemTime(a)))
    .slice(0, RECENT_PROBLEMS);
  replaceKeepingFocus(
    byId('problems'),
    table('Orders that failed, were cancelled or declined, newest first', PROBLEM_HEADINGS, problems.map((order) => problemRow(order, workflowUrl(order))), 'None lately.'),
  );

  const ready = all
    .filter((order) => order.readyAt !== null)
    .sort((a, b) => b.readyAt!.localeCompare(a.readyAt!))
    .slice(0, RECENT_READY);
  replaceKeepingFocus(
    byId('finished'),
    table('Orders ready lately, newest first', READY_HEADINGS, ready.map((order) => readyRow(order, workflowUrl(order))), 'No order is ready yet.'),
  );

  const inFlight = LANES.reduce((count, lane) => count + byLane.get(lane)!.length, 0);
  const late = all.filter((order) => laneOf(order) && order.status === 'delayed').length;
  setText(
    byId('summary'),
    `${inFlight} in flight${late ? `, ${late} running late` : ''} · ${all.filter((order) => order.readyAt).length} ready and ${all.filter(isStopped).length} failed, cancelled or declined among the ${all.length} orders shown`,
  );
}

/** Running times tick every second without rebuilding the board. */
function tick(): void {
  const now = new Date();
  for (const element of document.querySelectorAll<HTMLElement>('[data-since]')) {
    element.textContent = formatDuration(millisBetween(element.dataset.since!, now));
  }
}

async function load(): Promise<void> {
  try {
    const page = await listOrders({ limit: 100 });
    for (const order of page.orders) apply(order);
    render();
  } catch (error) {
    setText(byId('summary'), `The orders could not be loaded: ${(error as Error).message}`);
  }
}

/** The board opens once an operator has signed in (this browser may already have their session cookie). */
async function signIn(): Promise<void> {
  const session = await currentSession().catch(() => undefined);
  if (session?.role === 'operator') return;
  const form = byId<HTMLFormElement>('sign-in');
  const error = byId('sign-in-error');
  form.hidden = false;
  byId<HTMLInputElement>('operator-name').focus();
  await new Promise<void>((resolve) => {
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      error.textContent = '';
      const name = byId<HTMLInputElement>('operator-name').value.trim();
      const password = byId<HTMLInputElement>('operator-password').value;
      signInAsOperator(name, password).then(
        () => resolve(),
        (failure: unknown) => (error.textContent = (failure as Error).message),
      );
    });
  });
  form.hidden = true;
}

async function start(): Promise<void> {
  await signIn();
  byId('board').hidden = false;
  const connection = byId('connection');
  const reports = startReportsPanel();
  const reload = () => {
    void load();
    reports.changed();
  };
  const changed = (order: OrderView) => {
    apply(order);
    reports.changed();
  };
  followOrders('/orders/stream', changed, (state, reopened) => {
    connection.className = `connection connection-${state}`;
    setText(connection, state === 'live' ? 'Live' : 'Reconnecting…');
    // Whatever changed while the stream was down is in the list.
    if (reopened) reload();
  }, reload);
  void load();
  setInterval(tick, 1000);
}

void start();
