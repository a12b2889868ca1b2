-- Up Migration

-- Orders can now run late, be cancelled, fail and be refunded (contracts/order-state.ts).
alter table orders drop constraint orders_status_check;
alter table orders add constraint orders_status_check
  check (status in ('placed', 'labelled', 'delayed', 'mixed', 'ready', 'cancelled', 'failed', 'refunded'));

-- Defaults describe every existing row truthfully: none of them was ever late, cancelled, failed or refunded.
alter table orders
  add column sla_breached boolean not null default false,
  add column delays jsonb not null default '[]' check (jsonb_typeof(delays) = 'array'),
  add column cancelled_at timestamptz,
  add column cancellation_reason text,
  add column failed_at timestamptz,
  add column failure_reason text,
  add column refunded_at timestamptz;

-- Breached orders are few: a partial index holds only them, in the keyset order listOrders pages by.
create index orders_sla_breached on orders (placed_at desc, order_id desc) where sla_breached;

-- The reader role's `grant select on orders` (0002) is table-wide, so it covers the new columns.

-- Down Migration

drop index orders_sla_breached;
alter table orders
  drop column refunded_at,
  drop column failure_reason,
  drop column failed_at,
  drop column cancellation_reason,
  drop column cancelled_at,
  drop column delays,
  drop column sla_breached;
-- Fails if an order already holds one of the new statuses: those rows cannot be described by the old schema.
alter table orders drop constraint orders_status_check;
alter table orders add constraint orders_status_check check (status in ('placed', 'labelled', 'mixed', 'ready'));
