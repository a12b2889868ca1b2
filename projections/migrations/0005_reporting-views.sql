-- Up Migration

-- The shop's numbers as views in a schema of their own, for the analyst (SQL), the report CLI and the API.
-- Row views give one row per order, drink or breach; the report views aggregate them. Two hourly rollups are
-- materialised (popular items, stage-time percentiles): they hold whole hours up to `rollup_coverage`, and the
-- views that read them add the hours after it from the live rows, so every view is exact and current whenever
-- the rollups were last refreshed (projections/reports/rollups.ts refreshes them from the projector role).
create schema reporting;

-- An analyst sees the views and nothing else: no table, no write. The role and its password are made outside
-- the migrations (projections/database-roles.sql), with the password from configuration (DATABASE_ANALYST_PASSWORD).
do $$
begin
  execute format('grant connect on database %I to bubble_tea_analyst', current_database());
end
$$;

-- ---- row views ------------------------------------------------------------------------------------------------

-- One row per order: what the reports need of it, with its drink count and the stage times as intervals.
create view reporting.order_facts as
select
  order_id,
  customer_id,
  status,
  jsonb_array_length(drinks) as drinks,
  placed_at,
  labelled_at,
  mixed_at,
  ready_at,
  sla_breached,
  cancelled_at,
  cancellation_reason,
  failed_at,
  failure_reason,
  refunded_at
from public.orders;

-- One row per drink, in the order's own order (position 1, 2, ...). A drink without a topping has topping null.
create view reporting.drinks as
select o.order_id, o.customer_id, o.placed_at, d.position::int as position,
  d.drink ->> 'tea' as tea, (d.drink ->> 'sugar')::int as sugar, d.drink ->> 'pearl' as pearl, d.drink ->> 'topping' as topping
from public.orders o
cross join lateral jsonb_array_elements(o.drinks) with ordinality as d (drink, position);

-- One row per drink and kind of item (tea, pearl, topping, sugar): what "popular" counts. No topping counts as 'None', like the pearl.
create view reporting.drink_items as
select d.order_id, d.customer_id, d.placed_at, i.kind, i.item
from reporting.drinks d
cross join lateral (values ('tea', d.tea), ('pearl', d.pearl), ('topping', coalesce(d.topping, 'None')), ('sugar', d.sugar || '%')) as i (kind, item);

-- One row per order and finished stage, in seconds: label = labelled - placed, mix = mixed - labelled,
-- top = ready - mixed, placed-to-ready = ready - placed. A stage not finished (yet, or ever) has no row.
create view reporting.order_stage_durations as
select o.order_id, o.placed_at, s.stage, s.seconds
from public.orders o
cross join lateral (values
  (1, 'label', extract(epoch from o.labelled_at - o.placed_at)::float8),
  (2, 'mix', extract(epoch from o.mixed_at - o.labelled_at)::float8),
  (3, 'top', extract(epoch from o.ready_at - o.mixed_at)::float8),
  (4, 'placed-to-ready', extract(epoch from o.ready_at - o.placed_at)::float8)
) as s (stage_order, stage, seconds)
where s.seconds is not null;

-- One row per SLA breach (OrderDelayed): at most one per order and stage. Only breached orders are read (partial index orders_sla_breached).
create view reporting.sla_breaches as
select o.order_id, o.placed_at, d.delay ->> 'stage' as stage, (d.delay ->> 'slaSeconds')::float8 as sla_seconds, (d.delay ->> 'at')::timestamptz as breached_at
from public.orders o
cross join lateral jsonb_array_elements(o.delays) as d (delay)
where o.sla_breached;

-- ---- hourly rollups (materialised) ----------------------------------------------------------------------------

-- Where the rollups end: the start of the hour before the one they were refreshed in. Orders of the last hour
-- or two are still changing (mixing, delays, the projector catching up), so they are read live instead.
create materialized view reporting.rollup_coverage as
select date_trunc('hour', now() - interval '1 hour', 'UTC') as covered_until, now() as refreshed_at;
create unique index rollup_coverage_key on reporting.rollup_coverage (covered_until);

-- The same as a stable function: the planner evaluates it while planning, so it knows the live part is an hour
-- or two of orders and reads them through the placed_at index (a subquery it would guess at a third of the
-- table, and read all of it). PL/pgSQL, so it is called rather than inlined back into that subquery.
create function reporting.rollups_cover_until() returns timestamptz language plpgsql stable as $$
begin
  return (select covered_until from reporting.rollup_coverage);
end
$$;

create materialized view reporting.item_counts_rollup as
select date_trunc('hour', placed_at, 'UTC') as hour, kind, item, count(*)::int as drinks, count(distinct order_id)::int as orders
from reporting.drink_items
where placed_at < date_trunc('hour', now() - interval '1 hour', 'UTC')
group by 1, 2, 3;
create unique index item_counts_rollup_key on reporting.item_counts_rollup (hour, kind, item);

create materialized view reporting.stage_durations_rollup as
select date_trunc('hour', placed_at, 'UTC') as hour, stage, count(*)::int as orders,
  percentile_cont(array[0.5, 0.95, 0.99]) within group (order by seconds) as percentiles, max(seconds) as max
from reporting.order_stage_durations
where placed_at < date_trunc('hour', now() - interval '1 hour', 'UTC')
group by 1, 2;
create unique index stage_durations_rollup_key on reporting.stage_durations_rollup (hour, stage);

-- ---- report views ---------------------------------------------------------------------------------------------

-- Drinks per hour, kind and item: the rollup's whole hours, then the live rows after them.
create view reporting.item_counts_hourly as
select r.hour, r.kind, r.item, r.drinks, r.orders
from reporting.item_counts_rollup r
where r.hour < reporting.rollups_cover_until()
union all
select date_trunc('hour', i.placed_at, 'UTC'), i.kind, i.item, count(*)::int, count(distinct i.order_id)::int
from reporting.drink_items i
where i.placed_at >= reporting.rollups_cover_until()
group by 1, 2, 3;

-- The cheese reporter's question, all time: how many drinks had each tea, pearl, topping and sugar level, and
-- their share of the drinks (per kind; shares of a kind add up to 1).
create view reporting.popular_items as
select kind, item, sum(drinks)::int as drinks, round(sum(drinks) / sum(sum(drinks)) over (partition by kind), 4)::float8 as share
from reporting.item_counts_hourly
group by kind, item;

-- The same per day (UTC).
create view reporting.popular_items_daily as
select date_trunc('day', hour, 'UTC') as day, kind, item, sum(drinks)::int as drinks,
  round(sum(drinks) / sum(sum(drinks)) over (partition by date_trunc('day', hour, 'UTC'), kind), 4)::float8 as share
from reporting.item_counts_hourly
group by 1, kind, item;

create view reporting.orders_per_hour as
select date_trunc('hour', placed_at, 'UTC') as hour, count(*)::int as orders, sum(drinks)::int as drinks, round(avg(drinks), 2)::float8 as drinks_per_order
from reporting.order_facts
group by 1;

create view reporting.orders_per_minute as
select date_trunc('minute', placed_at, 'UTC') as minute, count(*)::int as orders, sum(drinks)::int as drinks
from reporting.order_facts
group by 1;

create view reporting.drinks_per_order as
select drinks, count(*)::int as orders, round(count(*) / sum(count(*)) over (), 4)::float8 as share
from reporting.order_facts
group by drinks;

-- Seconds per stage over all orders: median, 95th and 99th percentile (continuous), and the longest.
-- (Three percentile_cont calls over the same ordering share one sort.)
create view reporting.stage_durations as
select stage, count(*)::int as orders,
  round(percentile_cont(0.5) within group (order by seconds)::numeric, 3)::float8 as p50,
  round(percentile_cont(0.95) within group (order by seconds)::numeric, 3)::float8 as p95,
  round(percentile_cont(0.99) within group (order by seconds)::numeric, 3)::float8 as p99,
  round(max(seconds)::numeric, 3)::float8 as max
from reporting.order_stage_durations
group by stage;

-- The same per hour the orders were placed in: the rollup's whole hours, then the live rows after them.
create view reporting.stage_durations_hourly as
with hourly as (
  select r.hour, r.stage, r.orders, r.percentiles, r.max
  from reporting.stage_durations_rollup r
  where r.hour < reporting.rollups_cover_until()
  union all
  select date_trunc('hour', s.placed_at, 'UTC'), s.stage, count(*)::int,
    percentile_cont(array[0.5, 0.95, 0.99]) within group (order by s.seconds), max(s.seconds)
  from reporting.order_stage_durations s
  where s.placed_at >= reporting.rollups_cover_until()
  group by 1, 2
)
select hour, stage, orders,
  round(percentiles[1]::numeric, 3)::float8 as p50,
  round(percentiles[2]::numeric, 3)::float8 as p95,
  round(percentiles[3]::numeric, 3)::float8 as p99,
  round(max::numeric, 3)::float8 as max
from hourly;

-- Breaches per stage among all orders, and the rate (breaches / orders placed); 'any' counts orders late at least once.
create view reporting.sla_breaches_by_stage as
with placed as (select count(*) as orders from reporting.order_facts),
breaches as (
  select stage, count(*) as breaches from reporting.sla_breaches group by stage
  union all
  select 'any', count(*) from reporting.order_facts where sla_breached
)
select s.stage, coalesce(b.breaches, 0)::int as breaches, p.orders::int as orders,
  case when p.orders = 0 then 0 else round(coalesce(b.breaches, 0)::numeric / p.orders, 4) end::float8 as rate
from unnest(array['label', 'mix', 'top', 'any']) with ordinality as s (stage, position)
cross join placed p
left join breaches b using (stage);

create view reporting.failures_by_reason as
select case when failed_at is not null then 'failed' else 'cancelled' end as outcome,
  coalesce(failure_reason, cancellation_reason) as reason, count(*)::int as orders, max(coalesce(failed_at, cancelled_at)) as last_at
from reporting.order_facts
where failed_at is not null or cancelled_at is not null
group by 1, 2;

-- Refunds per day (UTC) of the refund, and what they followed.
create view reporting.refunds_daily as
select date_trunc('day', refunded_at, 'UTC') as day, count(*)::int as refunds,
  count(*) filter (where failed_at is not null)::int as after_failure,
  count(*) filter (where failed_at is null and cancelled_at is not null)::int as after_cancellation,
  sum(drinks)::int as drinks
from reporting.order_facts
where refunded_at is not null
group by 1;

-- Per customer: orders, drinks, the tea they took most often (ties: alphabetically first) and their last order.
create view reporting.customer_summary as
select o.customer_id, count(*)::int as orders, sum(o.drinks)::int as drinks,
  (select mode() within group (order by d.tea) from reporting.drinks d where d.customer_id = o.customer_id) as favourite_tea,
  max(o.placed_at) as last_order_at
from reporting.order_facts o
group by o.customer_id;

-- ---- indexes the reports filter by (every report counts the orders placed since a moment) ----------------------

create index orders_failed_or_cancelled on orders (placed_at) where failed_at is not null or cancelled_at is not null;
create index orders_refunded on orders (placed_at) where refunded_at is not null;

-- ---- who may read --------------------------------------------------------------------------------------------

grant usage on schema reporting to bubble_tea_analyst, bubble_tea_reader;
grant select on all tables in schema reporting to bubble_tea_analyst, bubble_tea_reader;

-- Down Migration

drop index orders_refunded;
drop index orders_failed_or_cancelled;
-- The role itself stays: it is shared by every database of the cluster.
revoke all on all tables in schema reporting from bubble_tea_analyst, bubble_tea_reader;
revoke usage on schema reporting from bubble_tea_analyst, bubble_tea_reader;
drop schema reporting cascade;
do $$
begin
  execute format('revoke connect on database %I from bubble_tea_analyst', current_database());
end
$$;
