-- Up Migration

-- Orders now have a price and are paid for; a declined payment ends the order (contracts/order-state.ts).
alter table orders drop constraint orders_status_check;
alter table orders add constraint orders_status_check
  check (status in ('placed', 'labelled', 'delayed', 'mixed', 'ready', 'cancelled', 'failed', 'refunded', 'declined'));

alter table orders
  add column total_cents integer check (total_cents >= 0),
  add column currency text not null default 'USD',
  add column payment_id text,
  add column paid_cents integer check (paid_cents >= 0),
  add column decline_reason text,
  add column refund_id text,
  add column refunded_cents integer check (refunded_cents >= 0);

-- Every existing order was placed at the launch prices (contracts/menu.ts LAUNCH_PRICES_CENTS) and never
-- charged: its total is what its drinks cost then, and a refunded one got nothing back.
update orders set total_cents = (
  select coalesce(sum(
    case drink->>'tea' when 'Black' then 450 else 500 end
    + case when drink->>'pearl' = 'None' then 0 else 50 end
    + case when drink ? 'topping' then 75 else 0 end), 0)
  from jsonb_array_elements(drinks) as drink
);
update orders set refunded_cents = 0 where status = 'refunded';
alter table orders alter column total_cents set not null;

-- The reader role's `grant select on orders` (0002) is table-wide, so it covers the new columns.

-- Down Migration

alter table orders
  drop column refunded_cents,
  drop column refund_id,
  drop column decline_reason,
  drop column paid_cents,
  drop column payment_id,
  drop column currency,
  drop column total_cents;
-- Fails if an order was declined: the old schema cannot describe it.
alter table orders drop constraint orders_status_check;
alter table orders add constraint orders_status_check
  check (status in ('placed', 'labelled', 'delayed', 'mixed', 'ready', 'cancelled', 'failed', 'refunded'));
