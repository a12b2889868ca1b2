-- Up Migration

-- Forward only (no Down section: node-pg-migrate refuses to revert it). Going back would restate, word for word,
-- the reporting views of 0005 this replaces; a change to undo it is a new migration.
--
-- Rollups the database keeps in the projector's own transaction, so every report reads a few thousand rows at
-- most, for any `since` (all time included), and is exact and current at every commit: no refresh to wait for.
--
-- * Statement triggers on `orders` (insert, update) and `order_events` (insert) fold each statement's rows into
--   rollup tables (projections/reports/rollups.ts says why triggers, not the projector's code nor more
--   materialized views). An `orders` row changes: its old row is taken out (-1) and its new one put in (+1).
-- * Every rollup is a table of deltas: a statement only appends rows, so concurrent projector transactions never
--   wait on, or deadlock over, a shared counter. A key's value is the sum of its rows; `compactReportRollups`
--   (rollups.ts) replaces a key's rows by their sum now and then, which changes no sum.
-- * The tables sit beside `orders` in `public`: a rebuild copies them empty with the others and folds the log into
--   them through the same triggers (which write to the tables their connection's search_path names), then swaps
--   them in.
-- * Windows: a report counts whole hours (days, minutes) from the rollups, and the part of the first hour before
--   them from the live rows, through the `placed_at` index (`reporting.next_hour` and friends).
-- * Stage percentiles stay exact: the rollup counts stage times per day and 0.1 s bucket, which tells in which
--   bucket the order statistics percentile_cont interpolates between lie; those are then read from
--   `report_stage_times` through its (stage, bucket, seconds) index, skipping to their rank in the bucket.

-- ---- shared pieces --------------------------------------------------------------------------------------------

-- The start of the first whole hour (day, minute) at or after a moment; -infinity stays -infinity.
create function reporting.next_hour(since timestamptz) returns timestamptz language sql immutable parallel safe as $$
  select case when since = date_trunc('hour', since, 'UTC') then since else date_trunc('hour', since, 'UTC') + interval '1 hour' end
$$;
create function reporting.next_day(since timestamptz) returns timestamptz language sql immutable parallel safe as $$
  select case when since = date_trunc('day', since, 'UTC') then since else date_trunc('day', since, 'UTC') + interval '1 day' end
$$;
create function reporting.next_minute(since timestamptz) returns timestamptz language sql immutable parallel safe as $$
  select case when since = date_trunc('minute', since, 'UTC') then since else date_trunc('minute', since, 'UTC') + interval '1 minute' end
$$;

-- An order's finished stages in seconds, as reporting.order_stage_durations has always defined them.
create function reporting.stage_seconds(placed_at timestamptz, labelled_at timestamptz, mixed_at timestamptz, ready_at timestamptz)
returns table (stage text, seconds float8) language sql immutable parallel safe as $$
  select s.stage, s.seconds
  from (values
    (1, 'label', extract(epoch from labelled_at - placed_at)::float8),
    (2, 'mix', extract(epoch from mixed_at - labelled_at)::float8),
    (3, 'top', extract(epoch from ready_at - mixed_at)::float8),
    (4, 'placed-to-ready', extract(epoch from ready_at - placed_at)::float8)
  ) as s (stage_order, stage, seconds)
  where s.seconds is not null
$$;

-- The 0.1 s bucket a stage time is counted in.
create function reporting.seconds_bucket(seconds float8) returns int language sql immutable parallel safe as $$
  select floor(seconds * 10)::int
$$;

-- An order's drinks per tea: how many, and 1 on the tea of its first drink (so an order counts once per customer).
create function reporting.tea_counts(drinks jsonb) returns table (tea text, orders int, drinks int) language sql immutable parallel safe as $$
  select d.drink ->> 'tea', (min(d.position) = 1)::int, count(*)::int
  from jsonb_array_elements(drinks) with ordinality as d (drink, position)
  group by 1
$$;

-- What ends an order early, by its event type.
create function reporting.outcome_of(event_type text) returns text language sql immutable parallel safe as $$
  select case event_type when 'OrderFailed' then 'failed' when 'OrderCancelled' then 'cancelled' when 'PaymentDeclined' then 'declined' end
$$;

-- The same row view as before, through the shared definition.
create or replace view reporting.order_stage_durations as
select o.order_id, o.placed_at, s.stage, s.seconds
from public.orders o
cross join lateral reporting.stage_seconds(o.placed_at, o.labelled_at, o.mixed_at, o.ready_at) as s;

-- ---- the rollup tables (deltas; `compacted` rows are sums already) ---------------------------------------------

create table report_order_hours (hour timestamptz not null, drinks int not null, orders int not null, compacted boolean not null default false);
create table report_order_minutes (minute timestamptz not null, orders int not null, drinks int not null, compacted boolean not null default false);
create table report_sla_hours (hour timestamptz not null, stage text not null, breaches int not null, compacted boolean not null default false);
create table report_stage_buckets (day timestamptz not null, stage text not null, bucket int not null, orders int not null, compacted boolean not null default false);
create table report_customers (customer_id text not null, orders int not null, drinks int not null, last_order_at timestamptz, compacted boolean not null default false);
create table report_customer_days (customer_id text not null, day timestamptz not null, orders int not null, drinks int not null, last_order_at timestamptz, compacted boolean not null default false);
create table report_customer_teas (customer_id text not null, tea text not null, orders int not null, drinks int not null, last_order_at timestamptz, compacted boolean not null default false);
create table report_customer_day_teas (
  customer_id text not null, day timestamptz not null, tea text not null, orders int not null, drinks int not null, last_order_at timestamptz,
  compacted boolean not null default false
);
create table report_outcome_hours (hour timestamptz not null, outcome text not null, reason text not null, orders int not null, last_at timestamptz not null, compacted boolean not null default false);
create table report_refund_hours (
  hour timestamptz not null, day timestamptz not null, refunds int not null, after_failure int not null, after_cancellation int not null, drinks int not null,
  compacted boolean not null default false
);
create table report_money_hours (
  hour timestamptz not null, currency text not null, payments int not null, charged_cents bigint not null, refunds int not null, refunded_cents bigint not null,
  compacted boolean not null default false
);
-- One row per order and finished stage: the exact times the percentiles are read from.
create table report_stage_times (order_id uuid not null, stage text not null, seconds float8 not null, bucket int not null, placed_at timestamptz not null, primary key (order_id, stage));

-- Keyed by time first, and covering: a window is read in the index's order, from the index alone (the rows lie in
-- the order the compactions wrote them, not by time).
create index report_order_hours_key on report_order_hours (hour, drinks) include (orders);
create index report_order_minutes_key on report_order_minutes (minute) include (orders, drinks);
create index report_sla_hours_key on report_sla_hours (hour, stage) include (breaches);
create index report_stage_buckets_key on report_stage_buckets (day, stage, bucket) include (orders);
create index report_customers_key on report_customers (customer_id);
create index report_customer_days_key on report_customer_days (day, customer_id) include (orders, drinks, last_order_at);
create index report_customer_teas_key on report_customer_teas (customer_id, tea);
create index report_customer_day_teas_key on report_customer_day_teas (day, customer_id, tea);
-- A customer's teas over a window, for the top customers' favourite.
create index report_customer_day_teas_by_customer on report_customer_day_teas (customer_id, day);
create index report_outcome_hours_key on report_outcome_hours (hour, outcome, reason) include (orders, last_at);
create index report_refund_hours_key on report_refund_hours (hour, day) include (refunds, after_failure, after_cancellation, drinks);
create index report_money_hours_key on report_money_hours (hour, currency) include (payments, charged_cents, refunds, refunded_cents);
create index report_stage_times_rank on report_stage_times (stage, bucket, seconds) include (placed_at);
-- The rows a compaction has still to fold, found without reading the others.
create index report_order_hours_new on report_order_hours (hour) where not compacted;
create index report_order_minutes_new on report_order_minutes (minute) where not compacted;
create index report_sla_hours_new on report_sla_hours (hour) where not compacted;
create index report_stage_buckets_new on report_stage_buckets (day) where not compacted;
create index report_customers_new on report_customers (customer_id) where not compacted;
create index report_customer_days_new on report_customer_days (day) where not compacted;
create index report_customer_teas_new on report_customer_teas (customer_id) where not compacted;
create index report_customer_day_teas_new on report_customer_day_teas (day) where not compacted;
create index report_outcome_hours_new on report_outcome_hours (hour) where not compacted;
create index report_refund_hours_new on report_refund_hours (hour) where not compacted;
create index report_money_hours_new on report_money_hours (hour) where not compacted;

-- ---- the triggers that keep them --------------------------------------------------------------------------------

-- The statements that fold rows of `orders` into the rollups, in steps, each for a part of the row: `source` gives
-- the rows with a `sign` (+1 in, -1 out), `target` qualifies the rollup tables and `orders` ('public.', or ''
-- for the connection's search_path). The triggers' functions are written from them, and this migration runs them
-- once for the orders already there.
create function reporting.order_rollup_statements(target text, source text) returns table (step int, part text, statement text) language sql immutable as $fn$
  select * from (values
    (1, 'orders', format($sql$
    insert into %1$sreport_order_hours (hour, drinks, orders)
    select date_trunc('hour', c.placed_at, 'UTC'), jsonb_array_length(c.drinks), sum(c.sign) from (%2$s) c group by 1, 2 having sum(c.sign) <> 0
  $sql$, target, source)),
    (2, 'orders', format($sql$
    insert into %1$sreport_order_minutes (minute, orders, drinks)
    select date_trunc('minute', c.placed_at, 'UTC'), sum(c.sign), sum(c.sign * jsonb_array_length(c.drinks)) from (%2$s) c group by 1
    having sum(c.sign) <> 0 or sum(c.sign * jsonb_array_length(c.drinks)) <> 0
  $sql$, target, source)),
    (3, 'breaches', format($sql$
    insert into %1$sreport_sla_hours (hour, stage, breaches)
    select date_trunc('hour', b.placed_at, 'UTC'), b.stage, sum(b.sign)
    from (
      select c.placed_at, d.delay ->> 'stage' as stage, c.sign from (%2$s) c cross join lateral jsonb_array_elements(c.delays) as d (delay) where c.sla_breached
      union all
      select c.placed_at, 'any', c.sign from (%2$s) c where c.sla_breached
    ) b
    group by 1, 2 having sum(b.sign) <> 0
  $sql$, target, source)),
    (4, 'stages', format($sql$
    with times as (
      select c.order_id, c.placed_at, s.stage, s.seconds, sum(c.sign) as sign
      from (%2$s) c cross join lateral reporting.stage_seconds(c.placed_at, c.labelled_at, c.mixed_at, c.ready_at) s
      group by 1, 2, 3, 4 having sum(c.sign) <> 0
    ),
    gone as (delete from %1$sreport_stage_times t using times where times.sign < 0 and t.order_id = times.order_id and t.stage = times.stage and t.seconds = times.seconds)
    insert into %1$sreport_stage_buckets (day, stage, bucket, orders)
    select date_trunc('day', placed_at, 'UTC'), stage, reporting.seconds_bucket(seconds), sum(sign) from times group by 1, 2, 3
  $sql$, target, source)),
    (5, 'stages', format($sql$
    insert into %1$sreport_stage_times (order_id, stage, seconds, bucket, placed_at)
    select c.order_id, s.stage, s.seconds, reporting.seconds_bucket(s.seconds), c.placed_at
    from (%2$s) c cross join lateral reporting.stage_seconds(c.placed_at, c.labelled_at, c.mixed_at, c.ready_at) s
    group by c.order_id, c.placed_at, s.stage, s.seconds having sum(c.sign) > 0
    on conflict (order_id, stage) do update set seconds = excluded.seconds, bucket = excluded.bucket, placed_at = excluded.placed_at
  $sql$, target, source)),
    (6, 'customers', format($sql$
    with teas as (
      select c.customer_id, date_trunc('day', c.placed_at, 'UTC') as day, t.tea, sum(c.sign * t.orders) as orders, sum(c.sign * t.drinks) as drinks,
        max(c.placed_at) filter (where c.sign > 0) as last_order_at
      from (%2$s) c cross join lateral reporting.tea_counts(c.drinks) t
      group by 1, 2, 3 having sum(c.sign * t.orders) <> 0 or sum(c.sign * t.drinks) <> 0
    ),
    days as (insert into %1$sreport_customer_day_teas (customer_id, day, tea, orders, drinks, last_order_at) select * from teas)
    insert into %1$sreport_customer_teas (customer_id, tea, orders, drinks, last_order_at)
    select customer_id, tea, sum(orders), sum(drinks), max(last_order_at) from teas group by 1, 2
  $sql$, target, source)),
    (7, 'customers', format($sql$
    with days as (
      select c.customer_id, date_trunc('day', c.placed_at, 'UTC') as day, sum(c.sign) as orders, sum(c.sign * jsonb_array_length(c.drinks)) as drinks,
        max(c.placed_at) filter (where c.sign > 0) as last_order_at
      from (%2$s) c
      group by 1, 2 having sum(c.sign) <> 0 or sum(c.sign * jsonb_array_length(c.drinks)) <> 0
    ),
    added as (insert into %1$sreport_customer_days (customer_id, day, orders, drinks, last_order_at) select * from days)
    insert into %1$sreport_customers (customer_id, orders, drinks, last_order_at)
    select customer_id, sum(orders), sum(drinks), max(last_order_at) from days group by 1
  $sql$, target, source))
  ) as s (step, part, statement)
$fn$;

-- The same for events, which are only ever added: what ends an order, refunds, and the money charged and returned
-- (each step for the event types its part names).
create function reporting.order_event_rollup_statements(target text, source text) returns table (step int, part text, statement text) language sql immutable as $fn$
  select * from (values
    (1, 'OrderFailed OrderCancelled PaymentDeclined', format($sql$
    insert into %1$sreport_outcome_hours (hour, outcome, reason, orders, last_at)
    select date_trunc('hour', o.placed_at, 'UTC'), reporting.outcome_of(e.type), e.payload -> 'data' ->> 'reason', count(*), max(e.occurred_at)
    from (%2$s) e join %1$sorders o using (order_id)
    where reporting.outcome_of(e.type) is not null
    group by 1, 2, 3
  $sql$, target, source)),
    (2, 'OrderRefunded', format($sql$
    insert into %1$sreport_refund_hours (hour, day, refunds, after_failure, after_cancellation, drinks)
    select date_trunc('hour', o.placed_at, 'UTC'), date_trunc('day', e.occurred_at, 'UTC'), count(*),
      count(*) filter (where o.failed_at is not null), count(*) filter (where o.failed_at is null and o.cancelled_at is not null), sum(jsonb_array_length(o.drinks))
    from (%2$s) e join %1$sorders o using (order_id)
    where e.type = 'OrderRefunded'
    group by 1, 2
  $sql$, target, source)),
    (3, 'OrderPaid OrderRefunded', format($sql$
    insert into %1$sreport_money_hours (hour, currency, payments, charged_cents, refunds, refunded_cents)
    select date_trunc('hour', m.occurred_at, 'UTC'), m.currency,
      count(*) filter (where m.type = 'OrderPaid'), coalesce(sum(m.cents) filter (where m.type = 'OrderPaid'), 0),
      count(*) filter (where m.type = 'OrderRefunded'), coalesce(sum(m.cents) filter (where m.type = 'OrderRefunded'), 0)
    from (
      -- A refund of nothing (nothing was charged, or version 1 of the event) moved no money.
      select e.occurred_at, e.type, coalesce(e.payload -> 'data' ->> 'currency', o.currency) as currency, coalesce((e.payload -> 'data' ->> 'amountCents')::bigint, 0) as cents
      from (%2$s) e join %1$sorders o using (order_id)
      where e.type = 'OrderPaid' or (e.type = 'OrderRefunded' and coalesce((e.payload -> 'data' ->> 'amountCents')::bigint, 0) > 0)
    ) m
    group by 1, 2
  $sql$, target, source))
  ) as s (step, part, statement)
$fn$;

-- The trigger functions, written out from those statements as static SQL, so each connection plans them once
-- (EXECUTE would plan every statement at every transaction). Their tables are named without a schema: a
-- connection's search_path picks them, `public` for the projector, the copy's schema for a rebuild's projector
-- (projections/rebuild.ts). They run only the steps whose rows can have changed: an upsert fires both `orders`
-- triggers, most often with nothing inserted, and an order's later events change its stage times or breaches,
-- never its customer, drinks or hour.
do $do$
declare
  inserted text;
  updated text;
  events text;
begin
  select string_agg(format(E'    if %L = any(parts) then%s;\n    end if;', s.part, s.statement), E'\n' order by s.step) into inserted
  from reporting.order_rollup_statements('', 'select 1 as sign, n.* from new_rows n') s;
  select string_agg(format(E'    if %L = any(parts) then%s;\n    end if;', s.part, s.statement), E'\n' order by s.step) into updated
  from reporting.order_rollup_statements('', 'select 1 as sign, n.* from new_rows n union all select -1, o.* from old_rows o') s;
  select string_agg(format(E'  if string_to_array(%L, \' \') && types then%s;\n  end if;', s.part, s.statement), E'\n' order by s.step) into events
  from reporting.order_event_rollup_statements('', 'select * from new_rows') s;
  execute format($create$
    create function reporting.roll_up_orders() returns trigger language plpgsql as $fn$
    declare
      parts text[];
    begin
      if tg_op = 'INSERT' then
        if not exists (select 1 from new_rows) then
          return null;
        end if;
        parts := array['orders', 'breaches', 'stages', 'customers'];
    %s
      else
        select array_remove(array[
          case when bool_or((n.customer_id, n.placed_at, n.drinks) is distinct from (o.customer_id, o.placed_at, o.drinks)) then 'orders' end,
          case when bool_or((n.customer_id, n.placed_at, n.drinks) is distinct from (o.customer_id, o.placed_at, o.drinks)) then 'customers' end,
          case when bool_or((n.placed_at, n.sla_breached, n.delays) is distinct from (o.placed_at, o.sla_breached, o.delays)) then 'breaches' end,
          case when bool_or((n.placed_at, n.labelled_at, n.mixed_at, n.ready_at) is distinct from (o.placed_at, o.labelled_at, o.mixed_at, o.ready_at)) then 'stages' end
        ], null) into parts
        from new_rows n join old_rows o using (order_id);
    %s
      end if;
      return null;
    end
    $fn$
  $create$, inserted, updated);
  execute format($create$
    create function reporting.roll_up_order_events() returns trigger language plpgsql as $fn$
    declare
      types text[];
    begin
      select array_agg(distinct type) into types from new_rows;
    %s
      return null;
    end
    $fn$
  $create$, events);
end
$do$;

-- Statement triggers with transition tables take one event each, so inserts and updates have one apiece.
create trigger report_rollups_on_insert after insert on orders referencing new table as new_rows for each statement execute function reporting.roll_up_orders();
create trigger report_rollups_on_update after update on orders referencing old table as old_rows new table as new_rows for each statement execute function reporting.roll_up_orders();
create trigger report_rollups_on_insert after insert on order_events referencing new table as new_rows for each statement execute function reporting.roll_up_order_events();

-- ---- what an analyst reads: the rollups, summed per key --------------------------------------------------------

create view reporting.order_counts_hourly as
select hour, drinks, sum(orders)::int as orders from public.report_order_hours group by hour, drinks having sum(orders) <> 0;
create view reporting.order_counts_per_minute as
select minute, sum(orders)::int as orders, sum(drinks)::int as drinks from public.report_order_minutes group by minute having sum(orders) <> 0;
create view reporting.sla_breaches_hourly as
select hour, stage, sum(breaches)::int as breaches from public.report_sla_hours group by hour, stage having sum(breaches) <> 0;
create view reporting.stage_time_buckets as
select day, stage, bucket, sum(orders)::int as orders from public.report_stage_buckets group by day, stage, bucket having sum(orders) <> 0;
create view reporting.stage_times as
select order_id, stage, seconds, bucket, placed_at from public.report_stage_times;
create view reporting.customer_teas as
select customer_id, tea, sum(orders)::int as orders, sum(drinks)::int as drinks, max(last_order_at) as last_order_at
from public.report_customer_teas group by customer_id, tea having sum(drinks) <> 0;
create view reporting.customer_day_teas as
select customer_id, day, tea, sum(orders)::int as orders, sum(drinks)::int as drinks, max(last_order_at) as last_order_at
from public.report_customer_day_teas group by customer_id, day, tea having sum(drinks) <> 0;
create view reporting.customer_totals as
select customer_id, sum(orders)::int as orders, sum(drinks)::int as drinks, max(last_order_at) as last_order_at
from public.report_customers group by customer_id having sum(orders) <> 0;
-- The rows as kept, not summed per key (a key can have a few until the next compaction): the customers'
-- windows sum them per customer at once, which spares a summing per customer and day.
create view reporting.customer_days as
select customer_id, day, orders, drinks, last_order_at from public.report_customer_days;
-- The first day the per-day rows hold (read through the index, for the customers' choice of reading forward or back).
create view reporting.customer_days_start as
select min(day) as first_day from public.report_customer_days;
create view reporting.outcomes_hourly as
select hour, outcome, reason, sum(orders)::int as orders, max(last_at) as last_at from public.report_outcome_hours group by hour, outcome, reason having sum(orders) <> 0;
create view reporting.refunds_hourly as
select hour, day, sum(refunds)::int as refunds, sum(after_failure)::int as after_failure, sum(after_cancellation)::int as after_cancellation, sum(drinks)::int as drinks
from public.report_refund_hours group by hour, day having sum(refunds) <> 0;
create view reporting.revenue_hourly as
select hour, currency, sum(payments)::int as payments, sum(charged_cents)::bigint as charged_cents, sum(refunds)::int as refunds, sum(refunded_cents)::bigint as refunded_cents
from public.report_money_hours group by hour, currency;

-- Row views the windows' first hours are read from, live.
create view reporting.order_teas as
select o.order_id, o.customer_id, o.placed_at, t.tea, t.orders, t.drinks
from public.orders o
cross join lateral reporting.tea_counts(o.drinks) as t;
-- One row per order ended early (failed, cancelled, or its payment declined), with the reason and when.
create view reporting.order_outcomes as
select o.order_id, o.placed_at, reporting.outcome_of(e.type) as outcome, e.payload -> 'data' ->> 'reason' as reason, e.occurred_at as at
from public.orders o
join public.order_events e on e.order_id = o.order_id
where e.type in ('OrderFailed', 'OrderCancelled', 'PaymentDeclined');

-- ---- the reports over a window: orders placed since a moment (-infinity: all time) ----------------------------

create function reporting.orders_per_hour_since(since timestamptz)
returns table (hour timestamptz, orders int, drinks int, drinks_per_order float8) language sql stable as $$
  select c.hour, sum(c.orders)::int, sum(c.drinks * c.orders)::int, round(sum(c.drinks * c.orders)::numeric / sum(c.orders), 2)::float8
  from (
    select r.hour, r.drinks, r.orders from reporting.order_counts_hourly r where r.hour >= reporting.next_hour(since)
    union all
    select date_trunc('hour', f.placed_at, 'UTC'), f.drinks, 1 from reporting.order_facts f where f.placed_at >= since and f.placed_at < reporting.next_hour(since)
  ) c
  group by c.hour
  having sum(c.orders) > 0
$$;

create function reporting.orders_per_minute_since(since timestamptz)
returns table (minute timestamptz, orders int, drinks int) language sql stable as $$
  -- The live rows fall in the minute before the rollup's first: nothing to merge.
  select r.minute, r.orders, r.drinks from reporting.order_counts_per_minute r where r.minute >= reporting.next_minute(since)
  union all
  select date_trunc('minute', f.placed_at, 'UTC'), count(*)::int, sum(f.drinks)::int
  from reporting.order_facts f where f.placed_at >= since and f.placed_at < reporting.next_minute(since)
  group by 1
$$;

create function reporting.drinks_per_order_since(since timestamptz)
returns table (drinks int, orders int, share float8) language sql stable as $$
  select c.drinks, sum(c.orders)::int, round(sum(c.orders) / sum(sum(c.orders)) over (), 4)::float8
  from (
    select r.drinks, r.orders from reporting.order_counts_hourly r where r.hour >= reporting.next_hour(since)
    union all
    select f.drinks, 1 from reporting.order_facts f where f.placed_at >= since and f.placed_at < reporting.next_hour(since)
  ) c
  group by c.drinks
  having sum(c.orders) > 0
$$;

-- p50, p95, p99 exactly as percentile_cont gives them, and max: the bucket counts say where each order statistic
-- lies, and the index on (stage, bucket, seconds) gives it. For n times, p lies at (n - 1)·p, between the order
-- statistics at its floor and its ceiling (0-based), interpolated with PostgreSQL's own arithmetic.
create function reporting.stage_durations_since(since timestamptz)
returns table (stage text, orders int, p50 float8, p95 float8, p99 float8, max float8) language sql stable as $$
  with buckets as (
    select b.stage, b.bucket, sum(b.orders) as orders
    from (
      select r.stage, r.bucket, r.orders from reporting.stage_time_buckets r where r.day >= reporting.next_day(since)
      union all
      select s.stage, reporting.seconds_bucket(s.seconds), 1 from reporting.order_stage_durations s where s.placed_at >= since and s.placed_at < reporting.next_day(since)
    ) b
    group by 1, 2
    having sum(b.orders) > 0
  ),
  cumulative as (
    select b.stage, b.bucket, b.orders, sum(b.orders) over (partition by b.stage order by b.bucket) as through from buckets b
  ),
  wanted as (
    select c.stage, c.n, p.fraction, (c.n - 1)::float8 * p.fraction as position
    from (select c.stage, max(c.through)::bigint as n from cumulative c group by c.stage) c
    cross join (values (0.5::float8), (0.95::float8), (0.99::float8), (1::float8)) as p (fraction)
  ),
  ranks as (
    select w.stage, floor(w.position)::bigint as rank from wanted w
    union
    select w.stage, ceil(w.position)::bigint from wanted w
  ),
  valued as (
    select r.stage, r.rank, v.seconds
    from ranks r
    cross join lateral (
      select c.bucket, r.rank - (c.through - c.orders) as within from cumulative c where c.stage = r.stage and c.through > r.rank order by c.bucket limit 1
    ) as b
    cross join lateral (
      select t.seconds from reporting.stage_times t
      where t.stage = r.stage and t.bucket = b.bucket and t.placed_at >= since
      order by t.seconds offset b.within limit 1
    ) as v
  ),
  interpolated as (
    select w.stage, w.n, w.fraction, low.seconds + (w.position - floor(w.position)) * (high.seconds - low.seconds) as seconds
    from wanted w
    join valued low on low.stage = w.stage and low.rank = floor(w.position)::bigint
    join valued high on high.stage = w.stage and high.rank = ceil(w.position)::bigint
  )
  select i.stage, max(i.n)::int,
    round((max(i.seconds) filter (where i.fraction = 0.5))::numeric, 3)::float8,
    round((max(i.seconds) filter (where i.fraction = 0.95))::numeric, 3)::float8,
    round((max(i.seconds) filter (where i.fraction = 0.99))::numeric, 3)::float8,
    round((max(i.seconds) filter (where i.fraction = 1))::numeric, 3)::float8
  from interpolated i
  group by i.stage
$$;

create function reporting.sla_breaches_since(since timestamptz)
returns table (stage text, breaches int, orders int, rate float8) language sql stable as $$
  with placed as (
    select coalesce(sum(c.orders), 0) as orders
    from (
      select r.orders from reporting.order_counts_hourly r where r.hour >= reporting.next_hour(since)
      union all
      select 1 from reporting.order_facts f where f.placed_at >= since and f.placed_at < reporting.next_hour(since)
    ) c
  ),
  breaches as (
    select c.stage, sum(c.breaches) as breaches
    from (
      select r.stage, r.breaches from reporting.sla_breaches_hourly r where r.hour >= reporting.next_hour(since)
      union all
      select b.stage, 1 from reporting.sla_breaches b where b.placed_at >= since and b.placed_at < reporting.next_hour(since)
      union all
      select 'any', 1 from reporting.order_facts f where f.sla_breached and f.placed_at >= since and f.placed_at < reporting.next_hour(since)
    ) c
    group by c.stage
  )
  select s.stage, coalesce(b.breaches, 0)::int, p.orders::int,
    case when p.orders = 0 then 0 else round(coalesce(b.breaches, 0)::numeric / p.orders, 4) end::float8
  from unnest(array['label', 'mix', 'top', 'any']) with ordinality as s (stage, position)
  cross join placed p
  left join breaches b on b.stage = s.stage
  order by s.position
$$;

create function reporting.failures_since(since timestamptz)
returns table (outcome text, reason text, orders int, last_at timestamptz) language sql stable as $$
  select c.outcome, c.reason, sum(c.orders)::int, max(c.last_at)
  from (
    select r.outcome, r.reason, r.orders, r.last_at from reporting.outcomes_hourly r where r.hour >= reporting.next_hour(since)
    union all
    select o.outcome, o.reason, 1, o.at from reporting.order_outcomes o where o.placed_at >= since and o.placed_at < reporting.next_hour(since)
  ) c
  group by c.outcome, c.reason
  having sum(c.orders) > 0
$$;

create function reporting.refunds_since(since timestamptz)
returns table (day timestamptz, refunds int, after_failure int, after_cancellation int, drinks int) language sql stable as $$
  select c.day, sum(c.refunds)::int, sum(c.after_failure)::int, sum(c.after_cancellation)::int, sum(c.drinks)::int
  from (
    select r.day, r.refunds, r.after_failure, r.after_cancellation, r.drinks from reporting.refunds_hourly r where r.hour >= reporting.next_hour(since)
    union all
    select date_trunc('day', f.refunded_at, 'UTC'), 1, (f.failed_at is not null)::int, (f.failed_at is null and f.cancelled_at is not null)::int, f.drinks
    from reporting.order_facts f
    where f.refunded_at is not null and f.placed_at >= since and f.placed_at < reporting.next_hour(since)
  ) c
  group by c.day
  having sum(c.refunds) > 0
$$;

-- Per customer: orders, drinks, the tea they took most often (ties: alphabetically first) and their last order,
-- every customer at once (the all-time view). Read forward from `since` when it lies in the later half of the
-- days held, else as all time less what came before it: either way at most half the per-day rows.
create function reporting.customers_since(since timestamptz)
returns table (customer_id text, orders int, drinks int, favourite_tea text, last_order_at timestamptz) language sql stable as $$
  with forward as (
    select since >= now() - (now() - coalesce(s.first_day, now())) / 2 as yes from reporting.customer_days_start s
  ),
  teas as (
    select t.customer_id, t.tea, t.orders, t.drinks, t.last_order_at from reporting.customer_day_teas t
    where (select f.yes from forward f) and t.day >= reporting.next_day(since)
    union all
    select t.customer_id, t.tea, t.orders, t.drinks, t.placed_at from reporting.order_teas t
    where (select f.yes from forward f) and t.placed_at >= since and t.placed_at < reporting.next_day(since)
    union all
    select t.customer_id, t.tea, t.orders, t.drinks, t.last_order_at from reporting.customer_teas t
    where not (select f.yes from forward f)
    union all
    select t.customer_id, t.tea, -t.orders, -t.drinks, null from reporting.customer_day_teas t
    where not (select f.yes from forward f) and t.day < date_trunc('day', since, 'UTC')
    union all
    select t.customer_id, t.tea, -t.orders, -t.drinks, null from reporting.order_teas t
    where not (select f.yes from forward f) and t.placed_at >= date_trunc('day', since, 'UTC') and t.placed_at < since
  ),
  per_tea as (
    select t.customer_id, t.tea, sum(t.orders) as orders, sum(t.drinks) as drinks, max(t.last_order_at) as last_order_at from teas t group by 1, 2
  )
  select p.customer_id, sum(p.orders)::int, sum(p.drinks)::int, (array_agg(p.tea order by p.drinks desc, p.tea) filter (where p.drinks > 0))[1], max(p.last_order_at)
  from per_tea p
  group by p.customer_id
  having sum(p.orders) > 0
$$;

-- The same for the customers with the most orders (ties: by id), which is what the report lists: their totals
-- are read as above, from per-day rows without teas, and their favourite tea then for each of them alone.
create function reporting.customer_totals_since(since timestamptz)
returns table (customer_id text, orders int, drinks int, last_order_at timestamptz) language sql stable as $$
  with forward as (
    select since >= now() - (now() - coalesce(s.first_day, now())) / 2 as yes from reporting.customer_days_start s
  ),
  counted as (
    select d.customer_id, d.orders, d.drinks, d.last_order_at from reporting.customer_days d
    where (select f.yes from forward f) and d.day >= reporting.next_day(since)
    union all
    select o.customer_id, 1, o.drinks, o.placed_at from reporting.order_facts o
    where (select f.yes from forward f) and o.placed_at >= since and o.placed_at < reporting.next_day(since)
    union all
    -- A customer's last order in the window is their last of all.
    select t.customer_id, t.orders, t.drinks, t.last_order_at from reporting.customer_totals t
    where not (select f.yes from forward f)
    union all
    select d.customer_id, -d.orders, -d.drinks, null from reporting.customer_days d
    where not (select f.yes from forward f) and d.day < date_trunc('day', since, 'UTC')
    union all
    select o.customer_id, -1, -o.drinks, null from reporting.order_facts o
    where not (select f.yes from forward f) and o.placed_at >= date_trunc('day', since, 'UTC') and o.placed_at < since
  )
  select c.customer_id, sum(c.orders)::int, sum(c.drinks)::int, max(c.last_order_at)
  from counted c
  group by c.customer_id
  having sum(c.orders) > 0
$$;

create function reporting.favourite_tea_since(customer text, since timestamptz) returns text language sql stable as $$
  select t.tea
  from (
    select a.tea, a.drinks from reporting.customer_teas a where a.customer_id = customer and since = '-infinity'
    union all
    select d.tea, d.drinks from reporting.customer_day_teas d where d.customer_id = customer and since > '-infinity' and d.day >= reporting.next_day(since)
    union all
    select o.tea, o.drinks from reporting.order_teas o where o.customer_id = customer and o.placed_at >= since and o.placed_at < reporting.next_day(since)
  ) t
  group by t.tea
  having sum(t.drinks) > 0
  order by sum(t.drinks) desc, t.tea
  limit 1
$$;

create function reporting.top_customers_since(since timestamptz, top int)
returns table (customer_id text, orders int, drinks int, favourite_tea text, last_order_at timestamptz) language sql stable as $$
  select c.customer_id, c.orders, c.drinks, reporting.favourite_tea_since(c.customer_id, since), c.last_order_at
  from (select t.* from reporting.customer_totals_since(since) t order by t.orders desc, t.customer_id limit top) c
  order by c.orders desc, c.customer_id
$$;

-- Money charged (OrderPaid) and given back (OrderRefunded, when it returned any) per day (UTC) of the payment or
-- refund, in minor units; whole hours, from the start of the hour `since` falls in.
create function reporting.revenue_daily_since(since timestamptz)
returns table (day timestamptz, currency text, payments int, charged_cents bigint, refunds int, refunded_cents bigint, net_cents bigint) language sql stable as $$
  select date_trunc('day', r.hour, 'UTC'), r.currency, sum(r.payments)::int, sum(r.charged_cents)::bigint, sum(r.refunds)::int, sum(r.refunded_cents)::bigint,
    (sum(r.charged_cents) - sum(r.refunded_cents))::bigint
  from reporting.revenue_hourly r
  where r.hour >= date_trunc('hour', since, 'UTC')
  group by 1, 2
$$;

create function reporting.revenue_since(since timestamptz)
returns table (currency text, payments int, charged_cents bigint, refunds int, refunded_cents bigint, net_cents bigint) language sql stable as $$
  select r.currency, sum(r.payments)::int, sum(r.charged_cents)::bigint, sum(r.refunds)::int, sum(r.refunded_cents)::bigint, (sum(r.charged_cents) - sum(r.refunded_cents))::bigint
  from reporting.revenue_hourly r
  where r.hour >= date_trunc('hour', since, 'UTC')
  group by 1
$$;

-- ---- the all-time report views, now over the rollups (same names and columns as in 0005) ------------------------

create or replace view reporting.orders_per_hour as select * from reporting.orders_per_hour_since('-infinity');
create or replace view reporting.orders_per_minute as select * from reporting.orders_per_minute_since('-infinity');
create or replace view reporting.drinks_per_order as select * from reporting.drinks_per_order_since('-infinity');
create or replace view reporting.stage_durations as select * from reporting.stage_durations_since('-infinity');
create or replace view reporting.sla_breaches_by_stage as select * from reporting.sla_breaches_since('-infinity');
create or replace view reporting.failures_by_reason as select * from reporting.failures_since('-infinity');
create or replace view reporting.refunds_daily as select * from reporting.refunds_since('-infinity');
create or replace view reporting.customer_summary as select * from reporting.customers_since('-infinity');
create view reporting.revenue_daily as select * from reporting.revenue_daily_since('-infinity');
create view reporting.revenue as select * from reporting.revenue_since('-infinity');

-- ---- who may do what -------------------------------------------------------------------------------------------

-- The analyst and the API read the views (and may call the `*_since` functions, which read only views).
grant select on all tables in schema reporting to bubble_tea_analyst, bubble_tea_reader;
-- The projector's transactions fire the triggers, which write the rollups as the projector.
grant select, insert, delete on report_order_hours, report_order_minutes, report_sla_hours, report_stage_buckets, report_customers, report_customer_days, report_customer_teas,
  report_customer_day_teas, report_outcome_hours, report_refund_hours, report_money_hours, report_stage_times to bubble_tea_projector;
grant update on report_stage_times to bubble_tea_projector;
-- Nobody calls the trigger functions but the triggers.
revoke execute on function reporting.roll_up_orders(), reporting.roll_up_order_events() from public;

-- The orders and events already there.
do $$
declare
  statement text;
begin
  for statement in select s.statement from reporting.order_rollup_statements('public.', 'select 1 as sign, n.* from public.orders n') s order by s.step loop
    execute statement;
  end loop;
  for statement in select s.statement from reporting.order_event_rollup_statements('public.', 'select * from public.order_events') s order by s.step loop
    execute statement;
  end loop;
end
$$;
