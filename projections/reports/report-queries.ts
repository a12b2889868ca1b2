import type { Queryable } from '../order-queries';
import { countedFrom, REPORTS, type Report, type ReportName, type ReportRow } from '../../contracts/reports';

/**
 * The SQL behind each report of contracts/reports.ts. Every query reads the `reporting` views only (so the
 * analyst role, which sees nothing else, can run it), with one parameter, `$1`: the moment the report counts
 * from (`-infinity` for all time). Filters are on `placed_at` (or the hour of a rollup), which an index covers.
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
    select date_trunc('hour', placed_at, 'UTC') as hour, count(*)::int as orders, sum(drinks)::int as drinks, ${rounded('avg(drinks)', 2)} as drinks_per_order
    from reporting.order_facts
    where placed_at >= ${SINCE}
    group by 1
    order by 1`,
  'orders-per-minute': `
    select date_trunc('minute', placed_at, 'UTC') as minute, count(*)::int as orders, sum(drinks)::int as drinks
    from reporting.order_facts
    where placed_at >= ${SINCE}
    group by 1
    order by 1`,
  'drinks-per-order': `
    select drinks, count(*)::int as orders, ${rounded('count(*) / sum(count(*)) over ()', 4)} as share
    from reporting.order_facts
    where placed_at >= ${SINCE}
    group by drinks
    order by drinks`,
  'stage-durations': `
    select stage, count(*)::int as orders,
      ${rounded('percentile_cont(0.5) within group (order by seconds)')} as p50,
      ${rounded('percentile_cont(0.95) within group (order by seconds)')} as p95,
      ${rounded('percentile_cont(0.99) within group (order by seconds)')} as p99,
      ${rounded('max(seconds)')} as max
    from reporting.order_stage_durations
    where placed_at >= ${SINCE}
    group by stage
    order by ${stageOrder('stage')}`,
  'stage-durations-hourly': `
    select hour, stage, orders, p50, p95, p99, max
    from reporting.stage_durations_hourly
    where hour >= ${SINCE_HOUR}
    order by hour, ${stageOrder('stage')}`,
  'sla-breaches': `
    with placed as (select count(*) as orders from reporting.order_facts where placed_at >= ${SINCE}),
    breaches as (
      select stage, count(*) as breaches from reporting.sla_breaches where placed_at >= ${SINCE} group by stage
      union all
      select 'any', count(distinct order_id) from reporting.sla_breaches where placed_at >= ${SINCE}
    )
    select s.stage, coalesce(b.breaches, 0)::int as breaches, p.orders::int as orders,
      case when p.orders = 0 then 0 else ${rounded('coalesce(b.breaches, 0)::numeric / p.orders', 4)} end as rate
    from unnest(array['label', 'mix', 'top', 'any']) with ordinality as s (stage, position)
    cross join placed p
    left join breaches b using (stage)
    order by s.position`,
  failures: `
    select case when failed_at is not null then 'failed' else 'cancelled' end as outcome,
      coalesce(failure_reason, cancellation_reason) as reason, count(*)::int as orders, max(coalesce(failed_at, cancelled_at)) as last_at
    from reporting.order_facts
    where placed_at >= ${SINCE} and (failed_at is not null or cancelled_at is not null)
    group by 1, 2
    order by orders desc, outcome desc, reason`,
  refunds: `
    select date_trunc('day', refunded_at, 'UTC') as day, count(*)::int as refunds,
      count(*) filter (where failed_at is not null)::int as after_failure,
      count(*) filter (where failed_at is null and cancelled_at is not null)::int as after_cancellation,
      sum(drinks)::int as drinks
    from reporting.order_facts
    where placed_at >= ${SINCE} and refunded_at is not null
    group by 1
    order by 1`,
  customers: `
    select o.customer_id as customer, count(*)::int as orders, sum(o.drinks)::int as drinks,
      (select mode() within group (order by d.tea) from reporting.drinks d where d.customer_id = o.customer_id and d.placed_at >= ${SINCE}) as favourite_tea,
      max(o.placed_at) as last_order_at
    from reporting.order_facts o
    where o.placed_at >= ${SINCE}
    group by o.customer_id
    order by orders desc, customer
    limit 100`,
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
