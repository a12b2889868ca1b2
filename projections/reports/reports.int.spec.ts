import type pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/app-config';
import { createPgPool } from '../../config/clients';
import { REPORT_NAMES, REPORTS, type ReportName } from '../../contracts/reports';
import { roleOn } from '../testing/scratch-database';
import { reportColumns, runReport } from './report-queries';
import { compactReportRollups, refreshReportRollups } from './rollups';
import { createReportDatabase, type ReportDatabase } from './testing/report-database';
import { applyPlans, DECLINED_ORDER, REPORT_DAY } from './testing/report-fixtures';

/**
 * Every report over REPORT_DAY (testing/report-fixtures.ts), applied by the projector's own code, against
 * numbers worked out by hand. Percentiles are PostgreSQL's percentile_cont: for n sorted values v0..v(n-1),
 * p lies at (n-1)·p, between two values, linearly. E.g. the seven label times 1 2 2 2 3 4 5: p95 at 5.7 is
 * 4 + 0.7 × (5 − 4) = 4.7.
 */

const config = loadConfig();
let database: ReportDatabase;
let analyst: pg.Pool;
let reader: pg.Pool;

beforeAll(async () => {
  database = await createReportDatabase(config.database.url, { prefix: 'reports_test' });
  const silent = pino({ level: 'silent' });
  analyst = createPgPool(roleOn(config.database.analystUrl, database), silent);
  reader = createPgPool(roleOn(config.database.readerUrl, database), silent);
});

afterAll(async () => {
  await analyst?.end();
  await reader?.end();
  await database?.drop();
});

const rowsOf = async (name: ReportName, since: Date | null = null, db: pg.Pool = analyst) => (await runReport(db, name, since)).rows;
const at = (time: string) => `2025-01-01T${time}.000Z`;

/** The expected rows of each report over the whole day (since: all time). */
const WHOLE_DAY: Record<ReportName, unknown[]> = {
  'popular-items': [
    { kind: 'tea', item: 'Black', drinks: 5, share: 0.4545 },
    { kind: 'tea', item: 'Oolong', drinks: 4, share: 0.3636 },
    { kind: 'tea', item: 'Jasmine Green Tea', drinks: 2, share: 0.1818 },
    { kind: 'pearl', item: 'Brown Sugar Pearl', drinks: 3, share: 0.2727 },
    { kind: 'pearl', item: 'None', drinks: 3, share: 0.2727 },
    { kind: 'pearl', item: 'Aloe Vera', drinks: 2, share: 0.1818 },
    { kind: 'pearl', item: 'Black Pearl', drinks: 2, share: 0.1818 },
    { kind: 'pearl', item: 'Lychee Pearl', drinks: 1, share: 0.0909 },
    { kind: 'topping', item: 'None', drinks: 4, share: 0.3636 },
    { kind: 'topping', item: 'Taro', drinks: 3, share: 0.2727 },
    { kind: 'topping', item: 'Matcha', drinks: 2, share: 0.1818 },
    { kind: 'topping', item: 'Chocolate', drinks: 1, share: 0.0909 },
    { kind: 'topping', item: 'Strawberry', drinks: 1, share: 0.0909 },
    { kind: 'sugar', item: '50%', drinks: 3, share: 0.2727 },
    { kind: 'sugar', item: '0%', drinks: 2, share: 0.1818 },
    { kind: 'sugar', item: '100%', drinks: 2, share: 0.1818 },
    { kind: 'sugar', item: '25%', drinks: 2, share: 0.1818 },
    { kind: 'sugar', item: '75%', drinks: 2, share: 0.1818 },
  ],
  'popular-items-daily': [],
  'orders-per-hour': [
    { hour: at('09:00:00'), orders: 3, drinks: 4, drinks_per_order: 1.33 },
    { hour: at('10:00:00'), orders: 5, drinks: 7, drinks_per_order: 1.4 },
  ],
  'orders-per-minute': ['09:00', '09:10', '09:20', '10:05', '10:15', '10:20', '10:30', '10:40'].map((minute, index) => ({
    minute: at(`${minute}:00`),
    orders: 1,
    drinks: [1, 2, 1, 3, 1, 1, 1, 1][index],
  })),
  'drinks-per-order': [
    { drinks: 1, orders: 6, share: 0.75 },
    { drinks: 2, orders: 1, share: 0.125 },
    { drinks: 3, orders: 1, share: 0.125 },
  ],
  'stage-durations': [
    // 1 2 2 2 3 4 5 (A B C D E F H)
    { stage: 'label', orders: 7, p50: 2, p95: 4.7, p99: 4.94, max: 5 },
    // 3 3 4 5 10
    { stage: 'mix', orders: 5, p50: 4, p95: 9, p99: 9.8, max: 10 },
    // 1 1 2 6 8
    { stage: 'top', orders: 5, p50: 2, p95: 7.6, p99: 7.92, max: 8 },
    // 7 9 10 13 16
    { stage: 'placed-to-ready', orders: 5, p50: 10, p95: 15.4, p99: 15.88, max: 16 },
  ],
  'stage-durations-hourly': [
    // 09:00, A B C: label 1 2 4, mix 3 4 10, top 1 2 6, placed to ready 7 10 16
    { hour: at('09:00:00'), stage: 'label', orders: 3, p50: 2, p95: 3.8, p99: 3.96, max: 4 },
    { hour: at('09:00:00'), stage: 'mix', orders: 3, p50: 4, p95: 9.4, p99: 9.88, max: 10 },
    { hour: at('09:00:00'), stage: 'top', orders: 3, p50: 2, p95: 5.6, p99: 5.92, max: 6 },
    { hour: at('09:00:00'), stage: 'placed-to-ready', orders: 3, p50: 10, p95: 15.4, p99: 15.88, max: 16 },
    // 10:00, D E F H: label 2 2 3 5; D E: mix 3 5, top 1 8, placed to ready 9 13
    { hour: at('10:00:00'), stage: 'label', orders: 4, p50: 2.5, p95: 4.7, p99: 4.94, max: 5 },
    { hour: at('10:00:00'), stage: 'mix', orders: 2, p50: 4, p95: 4.9, p99: 4.98, max: 5 },
    { hour: at('10:00:00'), stage: 'top', orders: 2, p50: 4.5, p95: 7.65, p99: 7.93, max: 8 },
    { hour: at('10:00:00'), stage: 'placed-to-ready', orders: 2, p50: 11, p95: 12.8, p99: 12.96, max: 13 },
  ],
  'sla-breaches': [
    { stage: 'label', breaches: 0, orders: 8, rate: 0 },
    { stage: 'mix', breaches: 2, orders: 8, rate: 0.25 },
    { stage: 'top', breaches: 1, orders: 8, rate: 0.125 },
    { stage: 'any', breaches: 3, orders: 8, rate: 0.375 },
  ],
  failures: [
    { outcome: 'failed', reason: 'the mix station is out of Black', orders: 1, last_at: at('10:20:20') },
    { outcome: 'cancelled', reason: 'changed my mind', orders: 1, last_at: at('10:30:01') },
  ],
  refunds: [{ day: '2025-01-01T00:00:00.000Z', refunds: 2, after_failure: 1, after_cancellation: 1, drinks: 2 }],
  customers: [
    { customer: 'alice', orders: 2, drinks: 3, favourite_tea: 'Black', last_order_at: at('09:10:00') },
    { customer: 'bob', orders: 2, drinks: 4, favourite_tea: 'Jasmine Green Tea', last_order_at: at('10:05:00') },
    // One Oolong and one Black each: a tie goes to the alphabetically first.
    { customer: 'carol', orders: 2, drinks: 2, favourite_tea: 'Black', last_order_at: at('10:20:00') },
    { customer: 'dave', orders: 2, drinks: 2, favourite_tea: 'Black', last_order_at: at('10:40:00') },
  ],
  // Prices: A, C, E and H 575 each, B 500 + 575, D 625 + 550 + 625, F and G 500 each (both given back).
  revenue: [{ currency: 'USD', payments: 8, charged_cents: 6175, refunds: 2, refunded_cents: 1000, net_cents: 5175 }],
  'revenue-daily': [{ day: '2025-01-01T00:00:00.000Z', currency: 'USD', payments: 8, charged_cents: 6175, refunds: 2, refunded_cents: 1000, net_cents: 5175 }],
};
// One day: the daily figures are the whole day's, each row with its day.
WHOLE_DAY['popular-items-daily'] = WHOLE_DAY['popular-items'].map((row) => ({ day: '2025-01-01T00:00:00.000Z', ...(row as object) }));

describe('the reports over a hand-computed day', () => {
  it.each(REPORT_NAMES)('%s gives exactly the numbers worked out by hand, in the columns its contract names', async (name) => {
    const rows = await rowsOf(name);
    expect(rows).toEqual(WHOLE_DAY[name]);
    for (const row of rows) {
      expect(Object.keys(row as object)).toEqual(reportColumns(name));
      expect(REPORTS[name].row.safeParse(row).success).toBe(true);
    }
  });

  it('counts only the orders placed since the given moment (rollup reports: from the start of its hour)', async () => {
    const ten = new Date(at('10:00:00'));
    expect(await rowsOf('orders-per-hour', ten)).toEqual(WHOLE_DAY['orders-per-hour'].slice(1));
    // From 10:00 the overall percentiles are the 10:00 hour's.
    expect(await rowsOf('stage-durations', ten)).toEqual((WHOLE_DAY['stage-durations-hourly'] as Array<{ hour: string }>).slice(4).map(({ hour: _hour, ...row }) => row));
    expect(await rowsOf('stage-durations-hourly', new Date(at('10:59:59')))).toEqual(WHOLE_DAY['stage-durations-hourly'].slice(4));
    expect(await rowsOf('sla-breaches', ten)).toEqual([
      { stage: 'label', breaches: 0, orders: 5, rate: 0 },
      { stage: 'mix', breaches: 1, orders: 5, rate: 0.2 },
      { stage: 'top', breaches: 0, orders: 5, rate: 0 },
      { stage: 'any', breaches: 1, orders: 5, rate: 0.2 },
    ]);
    expect(await rowsOf('customers', new Date(at('10:10:00')))).toEqual(WHOLE_DAY.customers.slice(2));
    const fromHalfPast = await runReport(analyst, 'popular-items', new Date(at('10:30:00')));
    expect(fromHalfPast.since).toBe(at('10:00:00'));
    expect(fromHalfPast.rows).toContainEqual({ kind: 'tea', item: 'Jasmine Green Tea', drinks: 2, share: 0.2857 });
    expect(await rowsOf('failures', new Date(at('10:25:00')))).toEqual(WHOLE_DAY.failures.slice(1));
    expect(await rowsOf('refunds', new Date(at('10:25:00')))).toEqual([{ day: '2025-01-01T00:00:00.000Z', refunds: 1, after_failure: 0, after_cancellation: 1, drinks: 1 }]);
    expect(await rowsOf('drinks-per-order', new Date(at('11:00:00')))).toEqual([]);
  });

  it('counts from a moment inside an hour exactly: the rollups’ whole hours after it, and the live rows before them', async () => {
    const since = new Date(at('09:15:00'));
    expect(await rowsOf('orders-per-hour', since)).toEqual([
      { hour: at('09:00:00'), orders: 1, drinks: 1, drinks_per_order: 1 },
      { hour: at('10:00:00'), orders: 5, drinks: 7, drinks_per_order: 1.4 },
    ]);
    expect(await rowsOf('orders-per-minute', new Date(at('10:15:30')))).toEqual(WHOLE_DAY['orders-per-minute'].slice(5));
    expect(await rowsOf('drinks-per-order', since)).toEqual([
      { drinks: 1, orders: 5, share: 0.8333 },
      { drinks: 3, orders: 1, share: 0.1667 },
    ]);
    // C (09:20, late at the top), D, E, F (late at the mixer), G, H.
    expect(await rowsOf('sla-breaches', since)).toEqual([
      { stage: 'label', breaches: 0, orders: 6, rate: 0 },
      { stage: 'mix', breaches: 1, orders: 6, rate: 0.1667 },
      { stage: 'top', breaches: 1, orders: 6, rate: 0.1667 },
      { stage: 'any', breaches: 2, orders: 6, rate: 0.3333 },
    ]);
    // C D E F H: label 1 3 2 2 5, mix 3 5 3, top 6 1 8, placed to ready 10 9 13.
    expect(await rowsOf('stage-durations', since)).toEqual([
      { stage: 'label', orders: 5, p50: 2, p95: 4.6, p99: 4.92, max: 5 },
      { stage: 'mix', orders: 3, p50: 3, p95: 4.8, p99: 4.96, max: 5 },
      { stage: 'top', orders: 3, p50: 6, p95: 7.8, p99: 7.96, max: 8 },
      { stage: 'placed-to-ready', orders: 3, p50: 10, p95: 12.7, p99: 12.94, max: 13 },
    ]);
    expect(await rowsOf('failures', new Date(at('10:20:00')))).toEqual(WHOLE_DAY.failures);
    expect(await rowsOf('refunds', new Date(at('10:20:00')))).toEqual(WHOLE_DAY.refunds);
    // The money reports count whole hours of payments and refunds: from 10:00, D to H paid and F and G refunded.
    const money = await runReport(analyst, 'revenue', new Date(at('10:30:00')));
    expect(money).toEqual({ report: 'revenue', since: at('10:00:00'), rows: [{ currency: 'USD', payments: 5, charged_cents: 3950, refunds: 2, refunded_cents: 1000, net_cents: 2950 }] });
    expect(await rowsOf('revenue-daily', new Date('2025-01-02T00:00:00Z'))).toEqual([]);
  });

  it('answers the same through the API’s read-only role', async () => {
    for (const name of REPORT_NAMES) expect(await rowsOf(name, null, reader)).toEqual(WHOLE_DAY[name]);
  });

  it('gives the analyst every reporting view, and nothing else: no table, no write', async () => {
    const views = [...new Set(Object.values(REPORTS).map((report) => report.view))];
    const rollupViews = ['order_counts_hourly', 'order_counts_per_minute', 'sla_breaches_hourly', 'stage_time_buckets', 'stage_times', 'customer_teas', 'customer_day_teas'];
    const moreViews = ['outcomes_hourly', 'refunds_hourly', 'revenue_hourly', 'order_teas', 'order_outcomes', 'customer_days_start'];
    for (const view of [...views, 'order_facts', 'drinks', 'drink_items', 'order_stage_durations', 'sla_breaches', 'item_counts_hourly', ...rollupViews, ...moreViews]) {
      const { rows } = await analyst.query(`select * from ${view}`);
      expect(rows.length, view).toBeGreaterThan(0);
    }
    expect((await analyst.query('select * from stage_durations order by stage')).rows).toContainEqual({ stage: 'mix', orders: 5, p50: 4, p95: 9, p99: 9.8, max: 10 });
    expect((await analyst.query('select * from revenue')).rows).toEqual([{ currency: 'USD', payments: 8, charged_cents: '6175', refunds: 2, refunded_cents: '1000', net_cents: '5175' }]);
    const rollupTables = ['report_order_hours', 'report_stage_times', 'report_customer_teas', 'report_money_hours', 'report_outcome_hours'].map((table) => `public.${table}`);
    for (const table of ['public.order_events', 'public.orders', 'public.parked_orders', 'public.read_model_migrations', ...rollupTables]) {
      await expect(analyst.query(`select * from ${table}`), table).rejects.toThrow(/permission denied/);
    }
    await expect(analyst.query('delete from public.order_events')).rejects.toThrow(/read-only transaction/);
    const client = await analyst.connect();
    try {
      // Read-only transactions are only the first line; without them the privileges still refuse every write.
      await client.query('set default_transaction_read_only = off');
      await expect(client.query('delete from public.order_events')).rejects.toThrow(/permission denied/);
      await expect(client.query(`update public.orders set status = 'ready'`)).rejects.toThrow(/permission denied/);
      await expect(client.query('create table reporting.intruder (id int)')).rejects.toThrow(/permission denied/);
      await expect(client.query('create view reporting.intruder as select 1')).rejects.toThrow(/permission denied/);
      await expect(client.query('refresh materialized view reporting.item_counts_rollup')).rejects.toThrow(/permission denied/);
      await expect(client.query('insert into public.report_money_hours values (now(), $1, 1, 100, 0, 0)', ['USD'])).rejects.toThrow(/permission denied/);
    } finally {
      client.release();
    }
  });
});

describe('the hourly rollups', () => {
  it('are exact before and after a refresh: the hours after them are read live', async () => {
    // Placed a few minutes ago: after the rollups' end, so read live until a refresh covers it.
    const now = Date.now();
    const recent = { ...REPORT_DAY.A, customerId: 'erin', placedAt: new Date(now - 5 * 60_000).toISOString() };
    const before = { items: await rowsOf('popular-items'), hourly: await rowsOf('stage-durations-hourly') };
    const client = await database.pool.connect();
    try {
      await applyPlans(client, { recent });
    } finally {
      client.release();
    }
    // The rollup tables hold the new order's deltas, not yet compacted: every report reads the same after compacting.
    const uncompacted = await Promise.all(REPORT_NAMES.map((name) => rowsOf(name)));
    await compactReportRollups(database.pool);
    expect(await Promise.all(REPORT_NAMES.map((name) => rowsOf(name)))).toEqual(uncompacted);
    // Placed in the last hour: customers reads forward from `since` (the per-day rollup and the live rows).
    expect(await rowsOf('customers', new Date(now - 60 * 60_000))).toEqual([
      { customer: 'erin', orders: 1, drinks: 1, favourite_tea: 'Black', last_order_at: new Date(now - 5 * 60_000).toISOString() },
    ]);
    const hour = new Date(Math.floor((now - 5 * 60_000) / 3_600_000) * 3_600_000).toISOString();
    const expected = {
      items: before.items.map((row) => row as { kind: string; item: string; drinks: number }).filter((row) => ['Black', 'Brown Sugar Pearl', 'Matcha', '50%'].includes(row.item)),
      hourly: [
        { hour, stage: 'label', orders: 1, p50: 2, p95: 2, p99: 2, max: 2 },
        { hour, stage: 'mix', orders: 1, p50: 4, p95: 4, p99: 4, max: 4 },
        { hour, stage: 'top', orders: 1, p50: 1, p95: 1, p99: 1, max: 1 },
        { hour, stage: 'placed-to-ready', orders: 1, p50: 7, p95: 7, p99: 7, max: 7 },
      ],
    };
    const check = async () => {
      const items = (await rowsOf('popular-items')) as Array<{ kind: string; item: string; drinks: number }>;
      for (const row of expected.items) expect(items.find((item) => item.kind === row.kind && item.item === row.item)?.drinks).toBe(row.drinks + 1);
      expect(await rowsOf('stage-durations-hourly')).toEqual([...before.hourly, ...expected.hourly]);
      expect(await rowsOf('popular-items', new Date(now - 60 * 60_000))).toContainEqual({ kind: 'tea', item: 'Black', drinks: 1, share: 1 });
    };
    await check();
    await refreshReportRollups(database.pool);
    await check();
  });
});

describe('a declined payment', () => {
  let declined: ReportDatabase;
  beforeAll(async () => {
    declined = await createReportDatabase(config.database.url, { prefix: 'reports_declined_test', plans: { ...REPORT_DAY, I: DECLINED_ORDER } });
  });
  afterAll(async () => {
    await declined?.drop();
  });

  it('is a failure with its reason, and moves no money', async () => {
    const failures = await runReport(declined.pool, 'failures', null);
    expect(failures.rows).toEqual([
      WHOLE_DAY.failures[0],
      { outcome: 'declined', reason: 'card declined', orders: 1, last_at: '2025-01-02T09:00:01.000Z' },
      WHOLE_DAY.failures[1],
    ]);
    expect((await runReport(declined.pool, 'failures', new Date('2025-01-02T08:30:00Z'))).rows).toEqual([failures.rows[1]]);
    expect((await declined.pool.query('select * from reporting.failures_by_reason order by outcome')).rows.map((row: { outcome: string }) => row.outcome)).toEqual(['cancelled', 'declined', 'failed']);
    expect((await runReport(declined.pool, 'revenue', null)).rows).toEqual(WHOLE_DAY.revenue);
  });
});
