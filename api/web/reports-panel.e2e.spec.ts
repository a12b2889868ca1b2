import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Drink } from '../../contracts/order-input';
import { NO_FAULTS } from '../../contracts/station-faults';
import { startWholeShop, type WholeShop } from '../../roles/testing/whole-shop';
import { operatorFetch, TEST_OPERATOR } from '../testing/sessions';

// Requests come from the test operator, who may reach every order (api/auth.unit.spec.ts tests whom the API lets in).
const fetch = operatorFetch;

/**
 * The operator board's reports panel in a real (headless) Chromium against the whole system: it is open
 * before a few orders are placed, and its charts fill in and follow them live, without a reload.
 */
const SHOP_SETTINGS = { STATION_TIME_SCALE: '0.1', SLA_GRACE_SECONDS: '1' };
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCREENSHOTS = path.join(REPO_ROOT, 'test-results', 'screenshots');
/** The README's screenshot of the panel is retaken only on request (`UPDATE_DOC_IMAGES=true`). */
const DOC_IMAGE = process.env.UPDATE_DOC_IMAGES === 'true' ? path.join(REPO_ROOT, 'docs', 'images', 'reports-panel.png') : undefined;
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let shop: WholeShop;
let browser: Browser;

async function placeOrder(customerId: string, drinks: Drink[]): Promise<string> {
  const response = await fetch(`${shop.api}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ customerId, drinks }) });
  expect(response.status).toBe(202);
  return ((await response.json()) as { orderId: string }).orderId;
}

async function orderStatus(orderId: string): Promise<string> {
  return ((await (await fetch(`${shop.api}/orders/${orderId}`)).json()) as { status: string }).status;
}

/** The drinks the popular-items chart shows for an item, from its bar's title ("Jasmine Green Tea: 3 · 25%"); 0 without a bar. */
async function drinksShown(page: Page, kind: string, item: string): Promise<number> {
  const titles = await page.locator(`#report-items figure:has(figcaption strong:text-is("${kind}")) .bar title`).allTextContents();
  const title = titles.find((text) => text.startsWith(`${item}: `));
  return title ? Number(/: (\d+) ·/.exec(title)![1]) : 0;
}

describe('the reports panel on the operator board', () => {
  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    shop = await startWholeShop('e2e-reports', SHOP_SETTINGS);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    await shop?.stop();
  });

  it('fills its charts after a few orders, live, with late and failed ones among them', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, baseURL: shop.api });
    const page = await context.newPage();
    page.on('pageerror', (error) => shop.logger.error({ err: error }, 'error in the page'));
    await page.goto('/operator');
    await page.getByLabel('Operator name').fill(TEST_OPERATOR.name);
    await page.getByLabel('Password').fill(TEST_OPERATOR.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor({ timeout: 15_000 });
    await page.locator('#reports[data-loaded="true"]').waitFor({ timeout: 15_000 });
    const jasmineBefore = await drinksShown(page, 'Teas', 'Jasmine Green Tea');

    await shop.setFaults('mix', { extraLatencyMs: 4000 });
    const name = `reports-${randomUUID().slice(0, 8)}`;
    const orders = await Promise.all([
      placeOrder(name, [{ tea: 'Jasmine Green Tea', sugar: 50, pearl: 'Black Pearl', topping: 'Taro' }, { tea: 'Oolong', sugar: 25, pearl: 'None' }]),
      placeOrder(name, [{ tea: 'Jasmine Green Tea', sugar: 100, pearl: 'Aloe Vera', topping: 'Chocolate' }]),
      placeOrder(name, [{ tea: 'Black', sugar: 0, pearl: 'Brown Sugar Pearl', topping: 'Matcha' }]),
    ]);
    // The top station runs out while they mix (placing an order that needs it would be refused): one fails.
    await shop.setFaults('top', { outOfStock: ['Chocolate'] });
    // A few more, so the charts have something to compare.
    await Promise.all([
      placeOrder(name, [{ tea: 'Black', sugar: 50, pearl: 'Brown Sugar Pearl', topping: 'Taro' }, { tea: 'Black', sugar: 75, pearl: 'Lychee Pearl' }]),
      placeOrder(name, [{ tea: 'Oolong', sugar: 50, pearl: 'Brown Sugar Pearl', topping: 'Strawberry' }]),
      placeOrder(name, [{ tea: 'Black', sugar: 25, pearl: 'None', topping: 'Matcha' }, { tea: 'Oolong', sugar: 50, pearl: 'Aloe Vera', topping: 'Taro' }]),
    ]);

    // The panel follows without a reload: two more Jasmine drinks appear.
    await expect.poll(() => drinksShown(page, 'Teas', 'Jasmine Green Tea'), { timeout: 30_000 }).toBe(jasmineBefore + 2);
    await expect.poll(async () => Promise.all(orders.map(orderStatus)), { timeout: 60_000, interval: 1000 }).toEqual(['ready', 'refunded', 'ready']);
    await expect.poll(() => page.locator('#report-problems figure:has-text("Failed, cancelled and declined") .bar title').allTextContents(), { timeout: 20_000 }).toContainEqual(
      expect.stringMatching(/^failed: \d+ · top station is out of Chocolate/),
    );
    await expect.poll(() => page.locator('#reports-status').textContent(), { timeout: 20_000 }).toMatch(/^Last 24 hours: charged \$[\d,.]+, refunded \$[\d,.]+, net \$[\d,.]+; updated /);
    const breaches = await page.locator('#report-problems figure:has-text("SLA breaches") .bar title').allTextContents();
    expect(breaches.find((title) => title.startsWith('mix: '))).toMatch(/^mix: [1-9]\d* · /);
    for (const stage of ['Label', 'Mix', 'Top', 'Placed → ready']) {
      const chart = page.locator(`#report-stages figure:has(figcaption strong:text-is("${stage}"))`);
      expect(await chart.locator('circle').count(), stage).toBeGreaterThanOrEqual(3);
      expect(await chart.locator('figcaption').textContent(), stage).toMatch(/p50 [\d.]+ s, p95 [\d.]+ s, p99 [\d.]+ s, max [\d.]+ s over \d+ orders/);
    }
    for (const kind of ['Teas', 'Pearls', 'Toppings', 'Sugar']) expect(await page.locator(`#report-items figure:has(figcaption strong:text-is("${kind}")) .bar`).count(), kind).toBeGreaterThan(0);

    await page.locator('#reports').screenshot({ path: path.join(SCREENSHOTS, 'reports-panel-desktop.png'), animations: 'disabled' });
    if (DOC_IMAGE) await page.locator('#reports').screenshot({ path: DOC_IMAGE, animations: 'disabled' });
    await shop.setFaults('mix', NO_FAULTS);
    await shop.setFaults('top', NO_FAULTS);
    await context.close();
  });
});
