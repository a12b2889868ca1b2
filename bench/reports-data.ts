import type { Pool } from 'pg';

/**
 * A large read model for the reports bench, written straight into `orders` and `order_events` with
 * generate_series (the rollups' triggers fold them as they would the projector's writes; the reports read only
 * the queried columns, so the documents are left empty): orders spread evenly
 * over `days` up to a minute ago, from 50,000 customers, one to four drinks each from the menu (500 cents a
 * drink), 90 % ready on time, 5 % ready after a late mix, 3 % failed at the mixer and refunded, 1 % cancelled and
 * refunded, 1 % with their payment declined. Stage times are random: label 1–3 s, mix 3–12 s (13–22 s when
 * late), top 1–4 s. Of the events, only those the reports read are made: the payment (or its decline), the
 * failure or cancellation, and the refund.
 */
const INSERT_ORDERS = `
with inserted as (
insert into orders (order_id, customer_id, drinks, status, placed_at, labelled_at, mixed_at, ready_at,
  last_applied_sequence, sla_breached, delays, cancelled_at, cancellation_reason, failed_at, failure_reason, refunded_at, total_cents,
  paid_cents, decline_reason, refunded_cents, document)
select gen_random_uuid(), o.customer_id, o.drinks,
  case when o.outcome in ('ready', 'late') then 'ready' when o.outcome = 'declined' then 'declined' else 'refunded' end,
  o.placed_at,
  case when o.outcome not in ('cancelled', 'declined') then o.labelled_at end,
  case when o.outcome in ('ready', 'late') then o.mixed_at end,
  case when o.outcome in ('ready', 'late') then o.mixed_at + o.top_s * interval '1 second' end,
  case o.outcome when 'ready' then 5 when 'late' then 6 when 'failed' then 5 when 'cancelled' then 4 else 2 end,
  o.outcome = 'late',
  case when o.outcome = 'late' then jsonb_build_array(jsonb_build_object('stage', 'mix', 'slaSeconds', 12.5, 'at', o.labelled_at + interval '12.5 seconds')) else '[]'::jsonb end,
  case when o.outcome = 'cancelled' then o.placed_at + interval '1 second' end,
  case when o.outcome = 'cancelled' then 'changed my mind' end,
  case when o.outcome = 'failed' then o.labelled_at + interval '5 seconds' end,
  case when o.outcome = 'failed' then 'the mix station is out of ' || (o.drinks -> 0 ->> 'tea') end,
  case when o.outcome in ('failed', 'cancelled') then o.placed_at + interval '30 seconds' end,
  o.total_cents,
  case when o.outcome <> 'declined' then o.total_cents end,
  case when o.outcome = 'declined' then 'card declined' end,
  case when o.outcome in ('failed', 'cancelled') then o.total_cents end,
  '{}'::jsonb
from (
  select c.*, c.labelled_at + c.mix_s * interval '1 second' as mixed_at, 500 * jsonb_array_length(c.drinks) as total_cents
  from (
    select b.*, b.placed_at + b.label_s * interval '1 second' as labelled_at
    from (
      select
        'customer-' || floor(random() * 50000)::int as customer_id,
        now() - interval '1 minute' - ($3::float8 * 86400 * (1 - g.i::float8 / $2)) * interval '1 second' as placed_at,
        case when r < 0.90 then 'ready' when r < 0.95 then 'late' when r < 0.98 then 'failed' when r < 0.99 then 'cancelled' else 'declined' end as outcome,
        1 + random() * 2 as label_s,
        case when r >= 0.90 and r < 0.95 then 13 else 3 end + random() * 9 as mix_s,
        1 + random() * 3 as top_s,
        d.drinks
      from generate_series($1::int, least($1::int + $4::int - 1, $2::int)) as g (i)
      cross join lateral (select random() as r, 1 + floor(random() * random() * 4)::int as n where g.i = g.i) as p
      cross join lateral (
        select jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
          'tea', (array['Black', 'Oolong', 'Jasmine Green Tea'])[1 + floor(random() * 3)::int],
          'sugar', (array[0, 25, 50, 75, 100])[1 + floor(random() * 5)::int],
          'pearl', (array['Brown Sugar Pearl', 'Black Pearl', 'Lychee Pearl', 'Aloe Vera', 'None'])[1 + floor(random() * 5)::int],
          'topping', (array['Strawberry', 'Brown Sugar', 'Matcha', 'Taro', 'Chocolate', null])[1 + floor(random() * 6)::int]
        ))) as drinks
        from generate_series(1, p.n) as k (drink)
        where g.i = g.i
      ) as d
    ) as b
  ) as c
) as o
returning order_id, placed_at, status, labelled_at, cancelled_at, cancellation_reason, failed_at, failure_reason, refunded_at,
  paid_cents, decline_reason, refunded_cents
)
insert into order_events (order_id, sequence, event_id, type, schema_version, occurred_at, payload, kafka_partition, kafka_offset)
select i.order_id, e.sequence, i.order_id || '-' || e.sequence, e.type, case when e.type = 'OrderRefunded' then 2 else 1 end, e.at,
  jsonb_build_object('type', e.type, 'data', e.data), 0, 0
from inserted i
cross join lateral (values
  (2, case when i.paid_cents is not null then 'OrderPaid' else 'PaymentDeclined' end, i.placed_at + interval '0.5 seconds',
    case when i.paid_cents is not null then jsonb_build_object('paymentId', 'payment-' || i.order_id, 'amountCents', i.paid_cents, 'currency', 'USD')
      else jsonb_build_object('reason', i.decline_reason) end),
  (3, case when i.cancelled_at is not null then 'OrderCancelled' end, i.cancelled_at, jsonb_build_object('reason', i.cancellation_reason)),
  (4, case when i.failed_at is not null then 'OrderFailed' end, i.failed_at, jsonb_build_object('stage', 'mix', 'reason', i.failure_reason)),
  (5, case when i.refunded_at is not null then 'OrderRefunded' end, i.refunded_at,
    jsonb_build_object('reason', coalesce(i.failure_reason, i.cancellation_reason), 'refundId', 'refund-' || i.order_id, 'amountCents', i.refunded_cents, 'currency', 'USD'))
) as e (sequence, type, at, data)
where e.type is not null`;

export const GENERATE_CHUNK = 100_000;

/** Inserts `orders` orders (and their events) in chunks of GENERATE_CHUNK, calling `progress` after each. */
export async function generateOrders(pool: Pool, orders: number, days: number, progress: (done: number) => void): Promise<void> {
  for (let first = 1; first <= orders; first += GENERATE_CHUNK) {
    await pool.query(INSERT_ORDERS, [first, orders, days, GENERATE_CHUNK]);
    progress(Math.min(orders, first + GENERATE_CHUNK - 1));
  }
  await pool.query('vacuum analyze');
}
