import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppConfig } from '../../config/app-config';
import type { Drink } from '../../contracts/order-input';
import type { OrderState } from '../../contracts/order-state';
import { STATIONS } from '../../contracts/names';
import { NO_FAULTS } from '../../contracts/station-faults';
import { estimateStations } from '../../contracts/station-estimate';
import { CANCEL_REFUSED_AFTER_MIXING } from '../order-cancellation';
import type { OrderView } from '../order-view';
import { startWholeShop, type WholeShop } from '../../roles/testing/whole-shop';
import { asCustomer, TEST_OPERATOR } from '../testing/sessions';

/**
 * The customer page and the operator board in a real (headless) Chromium, against the whole system in this
 * process: orders placed through the form, followed live, refused, cancelled, and flagged late on the board.
 */
// Stations at a tenth of their time, so a drink takes about a second and each stage is visible.
const SHOP_SETTINGS = { STATION_TIME_SCALE: '0.1', SLA_GRACE_SECONDS: '1' };
let shop: WholeShop;
let config: AppConfig;

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCREENSHOTS = path.join(REPO_ROOT, 'test-results', 'screenshots');
const DOC_IMAGES = path.join(REPO_ROOT, 'docs', 'images');
/** The README's two screenshots are retaken only on request (`UPDATE_DOC_IMAGES=true`), best on a fresh stack. */
const UPDATE_DOC_IMAGES = process.env.UPDATE_DOC_IMAGES === 'true';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 375, height: 812 };

let api: string;
let browser: Browser;
const contexts: BrowserContext[] = [];
const setFaults = (...args: Parameters<WholeShop['setFaults']>) => shop.setFaults(...args);

async function newPage(viewport: { width: number; height: number }): Promise<Page> {
  const phone = viewport.width < 500;
  const context = await browser.newContext({ viewport, deviceScaleFactor: phone ? 2 : 1, isMobile: phone, hasTouch: phone, baseURL: api });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (error) => shop.logger.error({ err: error }, 'error in the page'));
  return page;
}

async function screenshot(page: Page, name: string, docImage?: string): Promise<void> {
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
  if (docImage && UPDATE_DOC_IMAGES) await page.screenshot({ path: path.join(DOC_IMAGES, docImage), fullPage: true, animations: 'disabled' });
}

async function placeOrder(customerId: string, drinks: Drink[]): Promise<string> {
  const response = await fetch(`${api}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(await asCustomer(api, customerId)) },
    body: JSON.stringify({ customerId, drinks }),
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as { orderId: string }).orderId;
}

async function ordersOf(customerId: string): Promise<OrderState[]> {
  return ((await (await fetch(`${api}/orders?customer=${customerId}&limit=100`, { headers: await asCustomer(api, customerId) })).json()) as { orders: OrderState[] }).orders;
}

/** The operator board asks an operator to sign in first; a browser that has signed in keeps its session cookie. */
async function openBoard(page: Page): Promise<void> {
  await page.goto('/operator');
  await page.getByLabel('Operator name').fill(TEST_OPERATOR.name);
  await page.getByLabel('Password').fill(TEST_OPERATOR.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Signs a browser in as a customer, as the page's sign-in does: the session cookie lands in the page's context. */
async function signInAs(page: Page, customerId: string): Promise<void> {
  const response = await page.request.post('/sessions', { data: { customerId } });
  expect(response.status()).toBe(200);
}

async function viewOf(customerId: string, orderId: string): Promise<OrderView> {
  return (await (await fetch(`${api}/orders/${orderId}`, { headers: await asCustomer(api, customerId) })).json()) as OrderView;
}

/** A clock time as the pages write it (order-format.ts), in the page's own locale and time zone. */
function clockIn(page: Page, iso: string): Promise<string> {
  return page.evaluate((at) => new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }), iso);
}

/** Starts keeping every text an element shows, in order, however briefly (the page updates it live). */
async function recordTexts(page: Page, id: string): Promise<void> {
  await page.evaluate((elementId) => {
    const seen: string[] = [];
    (window as unknown as Record<string, string[]>)[`texts-${elementId}`] = seen;
    const target = document.getElementById(elementId)!;
    new MutationObserver(() => {
      const text = target.textContent ?? '';
      if (text && seen[seen.length - 1] !== text) seen.push(text);
    }).observe(target, { childList: true, characterData: true, subtree: true });
  }, id);
}

function recordedTexts(page: Page, id: string): Promise<string[]> {
  return page.evaluate((elementId) => (window as unknown as Record<string, string[]>)[`texts-${elementId}`] ?? [], id);
}

/** Every element holding `text` shows it whole: not clipped by its box, not ellipsised, not wider than its parent. */
async function cutOrOverflowing(page: Page, selector: string, text: string): Promise<string[]> {
  return page.evaluate(
    ({ selector: css, text: whole }) =>
      [...document.querySelectorAll<HTMLElement>(css)]
        .filter((element) => element.textContent?.includes(whole))
        .flatMap((element) => {
          const style = getComputedStyle(element);
          const box = element.getBoundingClientRect();
          const parent = element.parentElement!.getBoundingClientRect();
          const problems: string[] = [];
          if (element.scrollWidth > element.clientWidth + 1 && style.display !== 'inline') problems.push('wider than its box');
          if (style.textOverflow === 'ellipsis') problems.push('ellipsised');
          if (box.right > parent.right + 0.5 || box.left < parent.left - 0.5) problems.push('outside its parent');
          return problems.map((problem) => `${element.tagName.toLowerCase()}.${element.className}: ${problem}`);
        }),
    { selector, text },
  );
}

function customer(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

describe('the web pages', () => {
  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    mkdirSync(DOC_IMAGES, { recursive: true });
    shop = await startWholeShop('e2e-web', SHOP_SETTINGS);
    ({ config, api } = shop);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await shop?.stop();
  });

  // A test that fails midway must not leave a station slow or out of stock for the tests after it.
  afterEach(async () => {
    for (const station of STATIONS) await setFaults(station, NO_FAULTS);
  });

  it('serves the pages and their bundles with their content types, revalidated on every load', async () => {
    for (const [route, type] of [
      ['/', 'text/html'],
      ['/operator', 'text/html'],
      ['/assets/customer.js', 'text/javascript'],
      ['/assets/operator.js', 'text/javascript'],
      ['/assets/styles.css', 'text/css'],
    ] as const) {
      const response = await fetch(`${api}${route}`);
      expect(response.status, route).toBe(200);
      expect(response.headers.get('content-type'), route).toBe(`${type}; charset=utf-8`);
      expect(response.headers.get('cache-control'), route).toBe('no-cache');
      const again = await fetch(`${api}${route}`, { headers: { 'if-none-match': response.headers.get('etag')! } });
      expect(again.status, route).toBe(304);
    }
    expect((await fetch(`${api}/assets/nothing.js`)).status).toBe(404);
    expect(await (await fetch(`${api}/operator`)).text()).toContain(`content="${config.temporal.uiUrl}/namespaces/default/workflows/order-{orderId}"`);
  });

  it('shows the API docs under their security headers, with nothing refused by the content security policy', async () => {
    const page = await newPage(DESKTOP);
    const refused: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) refused.push(message.text());
    });
    const response = await page.goto('/docs');
    expect(response!.headers()['content-security-policy']).toContain("default-src 'self'");
    await page.locator('.swagger-ui .info .title').filter({ hasText: 'Bubble tea shop' }).waitFor({ timeout: 15_000 });
    await page.locator('.opblock-summary-path', { hasText: '/sessions/operator' }).first().waitFor();
    expect(refused).toEqual([]);
  });

  it('places an order through the form and follows it live to ready, without a reload or polling', async () => {
    const name = customer('web');
    const page = await newPage(DESKTOP);
    const idempotencyKeys: string[] = [];
    const orderReads: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (request.method() === 'POST' && url.pathname === '/orders') idempotencyKeys.push(request.headers()['idempotency-key'] ?? '');
      if (request.method() === 'GET' && /^\/orders\/[0-9a-f-]{36}$/.test(url.pathname)) orderReads.push(url.pathname);
    });
    await page.goto('/');
    await page.getByLabel('Your name').fill(name);
    await page.locator('#drink-0-tea').selectOption('Oolong');
    await page.locator('#drink-0-sugar').selectOption('75');
    await page.locator('#drink-0-pearl').selectOption('Black Pearl');
    await page.locator('#drink-0-topping').selectOption('Taro');
    // Oolong 5.00 + pearls 0.50 + topping 0.75, updated as each choice changes.
    expect(await page.locator('#order-total').textContent()).toBe('$6.25');
    await page.getByRole('button', { name: 'Add a drink' }).click();
    await expect.poll(() => page.locator('#order-total').textContent()).not.toBe('$6.25');
    await page.getByRole('button', { name: 'Surprise me: a random drink 2' }).click();
    await page.getByRole('button', { name: 'Add a drink' }).click();
    await page.getByRole('button', { name: 'Remove drink 3' }).click();
    await expect.poll(() => page.locator('.drink-card').count()).toBe(2);
    const total = (await page.locator('#order-total').textContent())!;
    await screenshot(page, 'customer-form-desktop');

    await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
    await page.getByRole('button', { name: 'Place order' }).dblclick();
    const stream = await page.waitForRequest((request) => /\/orders\/[0-9a-f-]{36}\/stream$/.test(request.url()));
    await page.getByRole('status').filter({ hasText: 'Labels printed, your tea is being mixed' }).or(page.getByRole('status').filter({ hasText: 'Mixed, your cup' })).first().waitFor({ timeout: 30_000 });
    await screenshot(page, 'customer-following-desktop');
    await page.getByRole('status').filter({ hasText: 'Your bubble tea is ready!' }).waitFor({ timeout: 30_000 });

    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    const orderId = /\/orders\/([0-9a-f-]{36})\/stream$/.exec(stream.url())![1]!;
    expect(page.url()).toBe(`${api}/?order=${orderId}`);
    expect(orderReads.length, 'one read of the order, then only the stream').toBeLessThanOrEqual(1);
    expect(new Set(idempotencyKeys).size, 'a double click sends at most one order').toBe(1);
    await expect.poll(async () => (await ordersOf(name)).map((order) => order.orderId)).toEqual([orderId]);
    await expect.poll(() => page.locator('#order-stages .stage-done').count()).toBe(3);
    expect(await page.locator('#order-estimate').textContent()).toMatch(/^Made in [\d.]+ s, from order to ready\.$/);
    expect(await page.locator('#cancel-note').isHidden(), 'nothing to say about cancelling a ready order').toBe(true);
    expect(await page.locator('#order-meta').textContent(), 'the total charged is the one shown while ordering').toContain(` · ${total} · `);
    await expect.poll(() => page.locator('#history-list').textContent()).toContain(`Order ${orderId.slice(0, 8)}ready`);
    await screenshot(page, 'customer-ready-desktop', 'customer-page.png');

    // The name is remembered, the past order is listed and links back to it.
    const phone = await newPage(PHONE);
    await phone.goto('/');
    expect(await phone.getByLabel('Your name').inputValue()).toBe('');
    await page.goto('/');
    expect(await page.getByLabel('Your name').inputValue()).toBe(name);
    await page.getByRole('link', { name: `Order ${orderId.slice(0, 8)}` }).click();
    await page.getByRole('status').filter({ hasText: 'Your bubble tea is ready!' }).waitFor();
    // Another device sees the order once it signs in with the same name, as the first one did.
    await phone.goto(`/?order=${orderId}`);
    await phone.getByRole('status').filter({ hasText: 'Enter your name on the order page first' }).waitFor();
    await phone.goto('/');
    await phone.getByLabel('Your name').fill(name);
    await phone.getByLabel('Your name').blur();
    await expect.poll(() => phone.locator('#history-list').textContent()).toContain(`Order ${orderId.slice(0, 8)}`);
    await phone.goto(`/?order=${orderId}`);
    await phone.getByRole('status').filter({ hasText: 'Your bubble tea is ready!' }).waitFor();
    await screenshot(phone, 'customer-ready-375');
  });

  it('shows when the order should be ready from the moment it is placed, at the shop’s station speed, moved on at each stage and when it runs late', async () => {
    // Labelling outlasts its SLA (a tenth of at most 2 s per drink, ×1.5, +1 s), so the order runs late there.
    await setFaults('label', { extraLatencyMs: 4000 });
    try {
      const name = customer('web-estimate');
      const drink: Drink = { tea: 'Jasmine Green Tea', sugar: 25, pearl: 'Brown Sugar Pearl', topping: 'Matcha' };
      const page = await newPage(DESKTOP);
      await page.goto('/');
      await page.getByLabel('Your name').fill(name);
      await page.locator('#drink-0-tea').selectOption(drink.tea);
      await page.locator('#drink-0-sugar').selectOption(String(drink.sugar));
      await page.locator('#drink-0-pearl').selectOption(drink.pearl);
      await page.locator('#drink-0-topping').selectOption(drink.topping!);
      // Six drinks: a few seconds of station time even at a tenth of the speed, enough to count down.
      for (let more = 0; more < 5; more++) await page.getByRole('button', { name: 'Add a drink' }).click();
      await recordTexts(page, 'order-estimate');
      await page.getByRole('button', { name: 'Place order' }).click();
      await page.locator('#order-estimate').filter({ hasText: /^Ready (by|any moment)/ }).waitFor({ timeout: 15_000 });
      await screenshot(page, 'customer-estimate-desktop', 'customer-page.png');
      const orderId = new URL(page.url()).searchParams.get('order')!;
      await page.getByRole('status').filter({ hasText: 'Your bubble tea is ready!' }).waitFor({ timeout: 30_000 });

      // The API's estimate follows the shop's STATION_TIME_SCALE (0.1 here), not the stations' normal speed.
      const scale = Number(SHOP_SETTINGS.STATION_TIME_SCALE);
      const order = await viewOf(name, orderId);
      expect(order.drinks).toHaveLength(6);
      expect(order.drinks[0]).toEqual(drink);
      const recipe = estimateStations(order.drinks);
      const atPlacement = new Date(Date.parse(order.placedAt) + (recipe.labelSeconds + recipe.mixingSeconds + recipe.toppingSeconds) * scale * 1000).toISOString();
      const whenLabelled = new Date(Date.parse(order.labelledAt!) + (recipe.mixingSeconds + recipe.toppingSeconds) * scale * 1000).toISOString();
      const lateAtLabel = order.delays.find((delay) => delay.stage === 'label')!;
      const whenLate = new Date(Date.parse(lateAtLabel.at) + (recipe.labelSeconds + recipe.mixingSeconds + recipe.toppingSeconds) * scale * 1000).toISOString();

      // What the page said, in order: ready by the placement's estimate, later by the late one, then by the labels' one.
      const texts = await recordedTexts(page, 'order-estimate');
      const clocks = texts.map((text) => /^(Ready by|Ready any moment now \(by|Running late: now ready by|Running late: it should not be long now \(we said) (\d\d:\d\d:\d\d)/.exec(text));
      const shown = clocks.flatMap((match) => (match ? [{ late: match[1]!.startsWith('Running late'), clock: match[2]! }] : []));
      const whenMixed = new Date(Date.parse(order.mixedAt!) + recipe.toppingSeconds * scale * 1000).toISOString();
      const [placed, late, labelled, mixed] = await Promise.all([atPlacement, whenLate, whenLabelled, whenMixed].map((iso) => clockIn(page, iso)));
      const said = texts.join(' | ');
      expect(shown[0], said).toEqual({ late: false, clock: placed });
      const lateAt = shown.findIndex((estimate) => estimate.late && estimate.clock === late);
      expect(lateAt, said).toBeGreaterThan(0);
      expect(shown.slice(lateAt).findIndex((estimate) => !estimate.late && estimate.clock === labelled), said).toBeGreaterThan(0);
      expect([labelled, mixed], said).toContain(shown.at(-1)!.clock);
      const firstWait = /in about (\d+) s/.exec(texts[0]!);
      if (firstWait) expect(Number(firstWait[1]), 'about the scaled time, not the stations’ normal one').toBeLessThanOrEqual(Math.ceil((recipe.labelSeconds + recipe.mixingSeconds + recipe.toppingSeconds) * scale) + 1);
      expect(texts.at(-1)).toMatch(/^Made in [\d.]+ s, from order to ready\.$/);
    } finally {
      await setFaults('label', NO_FAULTS);
    }
  });

  it('offers cancel exactly while the shop takes it, late labelling included, and says plainly once it can no longer be cancelled', async () => {
    await setFaults('label', { extraLatencyMs: 4000 });
    await setFaults('mix', { extraLatencyMs: 6000 });
    try {
      const name = customer('web-window');
      const page = await newPage(PHONE);
      await page.goto('/');
      await page.getByLabel('Your name').fill(name);
      await page.getByRole('button', { name: 'Place order' }).click();
      const cancel = page.getByRole('button', { name: 'Cancel order' });
      const note = page.locator('#cancel-note');
      await cancel.waitFor({ timeout: 15_000 });
      expect(await note.textContent()).toBe('You can cancel until your tea starts mixing, and get back all you paid.');
      const orderId = new URL(page.url()).searchParams.get('order')!;

      // Labelling runs late: the shop still takes a cancellation, so the page still offers it.
      await page.getByRole('status').filter({ hasText: 'running late' }).waitFor({ timeout: 15_000 });
      const lateView = await viewOf(name, orderId);
      expect(lateView).toMatchObject({ status: 'delayed', labelledAt: null, cancellable: true });
      expect(await cancel.isVisible()).toBe(true);
      await screenshot(page, 'customer-late-cancellable-375');

      // Labelled: mixing begins, the button goes, the page says why, and the shop refuses indeed.
      await cancel.waitFor({ state: 'hidden', timeout: 20_000 });
      expect(await note.textContent()).toBe('Your tea is being made now, so this order can no longer be cancelled.');
      expect((await viewOf(name, orderId)).cancellable).toBe(false);
      const refused = await fetch(`${api}/orders/${orderId}/cancel`, { method: 'POST', headers: await asCustomer(api, name) });
      expect(refused.status).toBe(409);
      expect(await refused.json()).toEqual({ message: CANCEL_REFUSED_AFTER_MIXING });
      await screenshot(page, 'customer-not-cancellable-375');
    } finally {
      await setFaults('label', NO_FAULTS);
      await setFaults('mix', NO_FAULTS);
    }
  });

  it('shows every choice of a drink whole at 1280 px, "Brown Sugar Pearl" and "Jasmine Green Tea" too', async () => {
    const page = await newPage(DESKTOP);
    await page.goto('/');
    await page.locator('#drink-0-tea').selectOption('Jasmine Green Tea');
    await page.locator('#drink-0-sugar').selectOption('100');
    await page.locator('#drink-0-pearl').selectOption('Brown Sugar Pearl');
    await page.locator('#drink-0-topping').selectOption('Strawberry');
    const cut = await page.evaluate(() => {
      const context = document.createElement('canvas').getContext('2d')!;
      return [...document.querySelectorAll<HTMLSelectElement>('.drink-card select')].flatMap((select) => {
        const style = getComputedStyle(select);
        context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
        const text = select.selectedOptions[0]!.textContent!;
        // The room for the text: the box without its padding and the arrow (about 1.5em).
        const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 1.5 * parseFloat(style.fontSize);
        return context.measureText(text).width > room ? [`${select.id}: "${text}" needs ${Math.ceil(context.measureText(text).width)} px, has ${Math.floor(room)}`] : [];
      });
    });
    expect(cut).toEqual([]);
    await screenshot(page, 'customer-long-choices-desktop');
  });

  it('says in plain words what to fix in a name, once per field; "Alice Smith" can order', async () => {
    const page = await newPage(PHONE);
    await page.goto('/');
    await page.getByLabel('Your name').fill('');
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.locator('#customerId-error').filter({ hasText: 'Please enter your name.' }).waitFor();
    expect(await page.locator('#customerId-error').textContent()).toBe('Please enter your name.');
    expect(await page.locator('#form-errors li').allTextContents()).toEqual(['Your name: Please enter your name.']);
    expect(await page.locator('#form-errors').textContent()).not.toContain('customerId');
    expect(await page.getByLabel('Your name').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Your name').getAttribute('maxlength')).toBe('64');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('form-errors');
    await screenshot(page, 'customer-validation-375');

    // Following the summary's link puts the focus on the field; fixing it clears the message.
    await page.getByRole('link', { name: 'Your name: Please enter your name.' }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('customerId');
    const name = `Alice Smith ${randomUUID().slice(0, 4)}`;
    await page.getByLabel('Your name').fill(name);
    expect(await page.locator('#customerId-error').textContent()).toBe('');
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.locator('#order-meta').filter({ hasText: `for ${name}` }).waitFor({ timeout: 15_000 });
  });

  it('takes a note for the barista, shows it on the order’s card on the operator board, and starts the next order without it', async () => {
    const name = customer('web-note');
    const blank = await fetch(`${api}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await asCustomer(api, name)) },
      body: JSON.stringify({ customerId: name, drinks: [{ tea: 'Black', sugar: 0, pearl: 'None' }], note: '' }),
    });
    expect(blank.status).toBe(400);
    expect(((await blank.json()) as { errors: Array<{ field: string }> }).errors.map((problem) => problem.field)).toEqual(['note']);

    const board = await newPage(DESKTOP);
    await openBoard(board);
    await board.getByRole('status').filter({ hasText: 'Live' }).waitFor({ timeout: 15_000 });
    // Held at the label station, so the order's card stays on the board while it is looked at.
    await setFaults('label', { extraLatencyMs: 5000 });
    try {
      const page = await newPage(DESKTOP);
      await page.goto('/');
      await page.getByLabel('Your name').fill(name);
      await page.getByLabel('A note for the barista (optional)').fill('  Less ice, please ');
      await page.getByRole('button', { name: 'Place order' }).click();
      await page.locator('#order-meta').filter({ hasText: `for ${name}` }).waitFor({ timeout: 15_000 });
      expect(await page.getByLabel('A note for the barista (optional)').inputValue(), 'the next order starts without the note').toBe('');
      await expect.poll(async () => (await ordersOf(name)).length).toBe(1);
      const [order] = await ordersOf(name);
      expect(order!.note).toBe('Less ice, please');
      const card = board.locator('.card', { hasText: `#${order!.orderId.slice(0, 8)}` });
      await card.waitFor({ timeout: 20_000 });
      expect(await card.textContent()).toContain('Note: Less ice, please');
      await screenshot(board, 'operator-note-desktop');
    } finally {
      await setFaults('label', NO_FAULTS);
    }
  });

  it('says plainly that a link to no order leads nowhere, with no empty progress or drinks', async () => {
    const page = await newPage(DESKTOP);
    await signInAs(page, customer('web-nowhere'));
    await page.goto('/?order=not-a-uuid');
    await page.getByRole('status').filter({ hasText: 'We cannot find an order' }).waitFor({ timeout: 15_000 });
    expect(await page.locator('#order-details').isHidden()).toBe(true);
    expect(await page.locator('#order-drinks-heading').isHidden()).toBe(true);
  });

  it('cancels an order before its labels are printed, after asking, and shows it cancelled and refunded', async () => {
    await setFaults('label', { extraLatencyMs: 8000 });
    const page = await newPage(PHONE);
    await page.goto('/');
    await page.getByLabel('Your name').fill(customer('web-cancel'));
    await page.getByRole('button', { name: 'Place order' }).click();
    const cancel = page.getByRole('button', { name: 'Cancel order' });
    await cancel.waitFor({ timeout: 15_000 });
    await screenshot(page, 'customer-cancellable-375');
    // Asked first: declining keeps the order, accepting cancels it.
    page.once('dialog', (dialog) => void dialog.dismiss());
    await cancel.click();
    expect(await cancel.isVisible()).toBe(true);
    let question = '';
    page.once('dialog', (dialog) => {
      question = dialog.message();
      void dialog.accept();
    });
    await cancel.click();
    await page.getByRole('status').filter({ hasText: 'Your order is cancelled and your money refunded' }).waitFor({ timeout: 30_000 });
    expect(question).toMatch(/^Cancel order [0-9a-f]{8}\? Nothing will be made and you get back all you paid \(\$\d+\.\d\d\)\.$/);
    await expect.poll(() => page.locator('#history-list .badge').first().textContent()).toBe('cancelled');
    expect(await page.locator('#order-notices').textContent()).toMatch(/Cancelled at .*: cancelled by the customer\..*Refunded \$\d+\.\d\d at .*, all you paid \(refund re_/);
    expect(await cancel.isHidden()).toBe(true);
    expect(await page.locator('#order-stages .stage-stopped').textContent()).toContain('cancelled');
    await screenshot(page, 'customer-cancelled-375');
    await setFaults('label', NO_FAULTS);
  });

  it('greys out what is sold out and says why; an order that still asks for it is refused with the reason', async () => {
    const page = await newPage(PHONE);
    await page.goto('/');
    await page.getByLabel('Your name').fill(customer('web-stock'));
    await page.locator('#drink-0-topping').selectOption('Taro');
    await setFaults('top', { outOfStock: ['Taro'] });
    await expect.poll(async () => ((await (await fetch(`${api}/menu`)).json()) as { soldOut: Array<{ ingredient: string }> }).soldOut.map((item) => item.ingredient)).toEqual(['Taro']);

    // Chosen before it ran out: placing it is refused, and the page reloads the menu to show what changed.
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.locator('#form-errors').filter({ hasText: 'Sold out for now: Taro' }).waitFor({ timeout: 15_000 });
    expect(await page.locator('#drink-0-topping-error').textContent()).toBe('Taro is sold out for now');
    expect(await page.locator('#stock-note').textContent()).toContain('Sold out for now: Taro');
    const taro = page.locator('#drink-0-topping option', { hasText: 'Taro' });
    expect(await taro.isDisabled()).toBe(true);
    expect(await taro.textContent()).toBe('Taro (sold out)');
    await screenshot(page, 'customer-sold-out-375');

    await page.locator('#drink-0-topping').selectOption('Matcha');
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.getByRole('status').filter({ hasText: /Order received|Labels printed|Mixed|ready/ }).first().waitFor({ timeout: 15_000 });
    await setFaults('top', NO_FAULTS);
  });

  it('announces an outage and stops claiming progress until the shop is back', async () => {
    await setFaults('label', { extraLatencyMs: 8000 });
    try {
      const name = customer('web-outage');
      const orderId = await placeOrder(name, [{ tea: 'Black', sugar: 0, pearl: 'None' }]);
      const page = await newPage(PHONE);
      await signInAs(page, name);
      // The shop's live updates cannot be reached: every attempt fails, as when the API is away.
      const away = (route: { abort(): Promise<void> }) => route.abort();
      await page.route('**/orders/*/stream', away);
      await page.goto(`/?order=${orderId}`);
      const banner = page.getByRole('alert').filter({ hasText: 'lost the connection' });
      await banner.waitFor({ timeout: 15_000 });
      await page.locator('#order-meta').filter({ hasText: `Order ${orderId.slice(0, 8)} for` }).waitFor();
      expect(await page.locator('#order-status').textContent()).toBe('Reconnecting to the shop…');
      await screenshot(page, 'customer-outage-375');

      await page.unroute('**/orders/*/stream', away);
      await banner.waitFor({ state: 'hidden', timeout: 40_000 });
      expect(await page.locator('#order-status').textContent()).not.toBe('Reconnecting to the shop…');
      expect(await page.locator('#live-note').textContent()).toContain('Live');
    } finally {
      await setFaults('label', NO_FAULTS);
    }
  });

  it('keeps the operator board inside the screen with a 64-character name that cannot wrap', async () => {
    await setFaults('mix', { extraLatencyMs: 8000 });
    const longName = 'W'.repeat(64);
    await placeOrder(longName, [{ tea: 'Oolong', sugar: 25, pearl: 'Brown Sugar Pearl', topping: 'Matcha' }]);
    for (const viewport of [DESKTOP, PHONE]) {
      const page = await newPage(viewport);
      await openBoard(page);
      const card = page.locator('.card', { hasText: longName });
      await card.first().waitFor({ timeout: 20_000 });
      const sizes = await page.evaluate(() => ({
        page: document.documentElement.scrollWidth,
        viewport: document.documentElement.clientWidth,
        overflowing: [...document.querySelectorAll<HTMLElement>('.lane, .card, .table-wrap')]
          .filter((element) => element.getBoundingClientRect().right > (element.parentElement!.getBoundingClientRect().right + 0.5))
          .map((element) => element.className),
      }));
      expect(sizes.page, `no sideways scrolling at ${viewport.width} px`).toBeLessThanOrEqual(sizes.viewport);
      expect(sizes.overflowing, `nothing wider than its column at ${viewport.width} px`).toEqual([]);
      expect(await card.first().locator('.card-customer strong').textContent(), 'the name is all there').toBe(longName);
      expect(await card.first().locator('.card-drinks').textContent()).toContain('Brown Sugar Pearl');
      expect(await cutOrOverflowing(page, '.card-customer, .card-customer strong, .card-drinks, .orders-table td', longName), `the name whole at ${viewport.width} px`).toEqual([]);
      expect(await cutOrOverflowing(page, '.card-drinks', 'Brown Sugar Pearl'), `the drink whole at ${viewport.width} px`).toEqual([]);
      await screenshot(page, `operator-long-name-${viewport.width}`);
    }
    await setFaults('mix', NO_FAULTS);
  });

  it('flags a late order on the operator board, live, and lists failures with their reasons', async () => {
    const page = await newPage(DESKTOP);
    expect((await fetch(`${api}/orders?limit=1`)).status, 'the list of every order needs an operator').toBe(401);
    await openBoard(page);
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor({ timeout: 15_000 });
    // Long enough a mix that an order stays late on the board while both pages are opened, on a loaded machine too.
    await setFaults('mix', { extraLatencyMs: 8000 });
    const name = customer('web-board');
    const [late, failing] = await Promise.all([
      placeOrder(name, [{ tea: 'Oolong', sugar: 25, pearl: 'None' }, { tea: 'Black', sugar: 50, pearl: 'Lychee Pearl', topping: 'Taro' }]),
      placeOrder(name, [{ tea: 'Black', sugar: 75, pearl: 'Brown Sugar Pearl', topping: 'Chocolate' }]),
    ]);
    // Run out while the orders are mixing: placement would refuse an order that needs it, the top station fails it.
    await setFaults('top', { outOfStock: ['Chocolate'] });

    const lateCard = page.locator('#lane-labelled .card.late', { hasText: `#${late.slice(0, 8)}` });
    await lateCard.waitFor({ timeout: 20_000 });
    expect(await lateCard.textContent()).toMatch(/Running late at mix \(SLA \d+ s\)/);
    expect(await lateCard.getByRole('link').first().getAttribute('href')).toBe(`${config.temporal.uiUrl}/namespaces/default/workflows/order-${late}`);
    await screenshot(page, 'operator-late-desktop');

    // Cancelled while its labels are printed: one more order, held at the label station until it is cancelled.
    await setFaults('label', { extraLatencyMs: 5000 });
    const cancelled = await placeOrder(name, [{ tea: 'Black', sugar: 0, pearl: 'None' }]);
    const cancelling = await fetch(`${api}/orders/${cancelled}/cancel`, { method: 'POST', headers: await asCustomer(api, name) });
    expect(cancelling.status).toBe(200);
    await setFaults('label', NO_FAULTS);

    const failedRow = page.locator('#problems tr', { hasText: `#${failing.slice(0, 8)}` });
    await failedRow.filter({ hasText: 'refunded' }).waitFor({ timeout: 30_000 });
    expect(await failedRow.textContent()).toContain('top station is out of Chocolate');
    // The stations it reached with their times, where it failed, and that it had run late before.
    const timesOf = (row: typeof failedRow) => Promise.all(['Label', 'Mix', 'Top'].map((stage) => row.locator(`td[data-label="${stage}"]`).textContent()));
    const [failedLabel, failedMix, failedTop] = await timesOf(failedRow);
    expect(failedLabel).toMatch(/^\d+(\.\d)? s$/);
    expect(failedMix).toMatch(/^\d+(\.\d)? s$/);
    expect(failedTop).toMatch(/^failed after \d+(\.\d)? s$/);
    expect(await failedRow.locator('td[data-label="What happened"]').textContent()).toMatch(/^failedLate at mix \(SLA \d+ s\)$/);
    const cancelledRow = page.locator('#problems tr', { hasText: `#${cancelled.slice(0, 8)}` });
    await cancelledRow.filter({ hasText: 'refunded' }).waitFor({ timeout: 30_000 });
    const [cancelledLabel, cancelledMix, cancelledTop] = await timesOf(cancelledRow);
    expect(cancelledLabel).toMatch(/^cancelled after \d+(\.\d)? s$/);
    expect([cancelledMix, cancelledTop]).toEqual(['—', '—']);
    expect(await cancelledRow.locator('td[data-label="What happened"]').textContent()).toMatch(/^cancelled/);
    const readyRow = page.locator('#finished tr', { hasText: `#${late.slice(0, 8)}` });
    await readyRow.waitFor({ timeout: 30_000 });
    expect(await readyRow.textContent()).toMatch(/Late at mix/);
    expect(await page.locator('#lane-labelled').textContent()).not.toContain(`#${late.slice(0, 8)}`);

    // One more late order in flight for the pictures.
    const inFlight = await placeOrder(name, [{ tea: 'Jasmine Green Tea', sugar: 100, pearl: 'Aloe Vera', topping: 'Matcha' }]);
    await page.locator('#lane-labelled .card.late', { hasText: `#${inFlight.slice(0, 8)}` }).waitFor({ timeout: 20_000 });
    await screenshot(page, 'operator-board-desktop', 'operator-board.png');
    const phone = await newPage(PHONE);
    await openBoard(phone);
    await phone.locator('#lane-labelled .card.late').first().waitFor({ timeout: 10_000 });
    await screenshot(phone, 'operator-board-375');
    await setFaults('mix', NO_FAULTS);
    await setFaults('top', NO_FAULTS);
  });
});
