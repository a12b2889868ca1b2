import type { Queryable } from '../order-queries';
import { countedFrom, REPORTS, type Report, type ReportName, type ReportRow } from '../../contracts/reports';

/**
 * The SQL behind each report of contracts/reports.ts. Every query reads the `reporting` views and functions only
 * (so the analyst role, which sees nothing else, can run it), with one parameter, `$1`: the moment the report
 * counts from (`-infinity` for all time). The `reporting.*_since` functions (migration 0009) read the rollups'
 * whole hours and the live rows of the hour before them; the popular-items family reads the hourly rollups.
 */

const SINCE = '$1::timestamptz';
const SINCE_HOUR = `date_trunc('hour', ${SINCE}, 'UTC')`;
const kindOrder = (column: string) => `array_position(array['tea', 'pearl', 'topping', 'sugar'], ${column})`;
const stageOrder = (column: string) => `array_position(array['label', 'mix', 'top', 'placed-to-ready', 'any'], ${column})`;
const rounded = (expression: string, digits = 3) => `round((${expression})::numeric, ${digits})::float8`;

const QUERIES: Record<ReportName, string> = {
  'popular-items': `
    select kind, item, sum(drinks)::int as drinks, ${rounded('sum(drinks) / sum(sum(drinks)) over (partition by kind)', 4)} as share
    from reporting.item_counts_hourly
    where hour >= ${SINCE_HOUR}
    group by kind, item
    order by ${kindOrder('kind')}, drinks desc, item`,
  'popular-items-daily': `
    select date_trunc('day', hour, 'UTC') as day, kind, item, sum(drinks)::int as drinks,
      ${rounded(`sum(drinks) / sum(sum(drinks)) over (partition by date_trunc('day', hour, 'UTC'), kind)`, 4)} as share
    from reporting.item_counts_hourly
    where hour >= ${SINCE_HOUR}
    group by 1, kind, item
    order by day, ${kindOrder('kind')}, drinks desc, item`,
  'orders-per-hour': `
    select hour, orders, drinks, drinks_per_order from reporting.orders_per_hour_since(${SINCE}) order by hour`,
  'orders-per-minute': `
    select minute, orders, drinks from reporting.orders_per_minute_since(${SINCE}) order by minute`,
  'drinks-per-order': `
    select drinks, orders, share from reporting.drinks_per_order_since(${SINCE}) order by drinks`,
  'stage-durations': `
    select stage, orders, p50, p95, p99, max from reporting.stage_durations_since(${SINCE}) order by ${stageOrder('stage')}`,
  'stage-durations-hourly': `
    select hour, stage, orders, p50, p95, p99, max
    from reporting.stage_durations_hourly
    where hour >= ${SINCE_HOUR}
    order by hour, ${stageOrder('stage')}`,
  'sla-breaches': `
    select stage, breaches, orders, rate from reporting.sla_breaches_since(${SINCE}) order by ${stageOrder('stage')}`,
  failures: `
    select outcome, reason, orders, last_at from reporting.failures_since(${SINCE}) order by orders desc, outcome desc, reason`,
  refunds: `
    select day, refunds, after_failure, after_cancellation, drinks from reporting.refunds_since(${SINCE}) order by day`,
  customers: `
    select customer_id as customer, orders, drinks, favourite_tea, last_order_at from reporting.top_customers_since(${SINCE}, 100) order by orders desc, customer`,
  // Sums of cents are bigint, which node-postgres reads as text: as float8 they stay exact up to 2^53.
  revenue: `
    select currency, payments, charged_cents::float8 as charged_cents, refunds, refunded_cents::float8 as refunded_cents, net_cents::float8 as net_cents
    from reporting.revenue_since(${SINCE})
    order by currency`,
  'revenue-daily': `
    select day, currency, payments, charged_cents::float8 as charged_cents, refunds, refunded_cents::float8 as refunded_cents, net_cents::float8 as net_cents
    from reporting.revenue_daily_since(${SINCE})
    order by day, currency`,
};

/** The SQL of a report, with `$1` for its `since`. */
export function reportSql(name: ReportName): string {
  return QUERIES[name];
}

/** Runs a report; `since` null counts all time. Timestamps come back as ISO strings, numbers as numbers. */
export async function runReport<Name extends ReportName>(db: Queryable, name: Name, asked: Date | null): Promise<Report<Name>> {
  const since = countedFrom(name, asked);
  const { rows } = await db.query<Record<string, unknown>>(QUERIES[name], [since ?? '-infinity']);
  return {
    report: name,
    since: since === null ? null : since.toISOString(),
    rows: rows.map((row) => Object.fromEntries(Object.entries(row).map(([column, value]) => [column, value instanceof Date ? value.toISOString() : value])) as ReportRow<Name>),
  };
}

/** The columns of a report, in the order its rows list them. */
export function reportColumns(name: ReportName): string[] {
  return Object.keys(REPORTS[name].row.shape);
}
