-- Up Migration

-- One row per order: the fold of its events, rewritten whole by the projector at every applied event.
create table orders (
  order_id uuid primary key,
  customer_id text not null,
  drinks jsonb not null,
  status text not null check (status in ('placed', 'labelled', 'mixed', 'ready')),
  status_code int not null,
  status_text text not null,
  estimate jsonb,
  placed_at timestamptz not null,
  labelled_at timestamptz,
  mixed_at timestamptz,
  ready_at timestamptz,
  last_applied_sequence int not null check (last_applied_sequence >= 1),
  updated_at timestamptz not null default now()
);

-- Keyset pagination walks (placed_at desc, order_id desc); order_id breaks ties between orders placed in the same instant.
create index orders_by_customer on orders (customer_id, placed_at desc, order_id desc);
create index orders_by_status on orders (status, placed_at desc, order_id desc);
create index orders_by_placed_at on orders (placed_at desc, order_id desc);

-- Every applied event, as validated: payload is the whole event, so the read model can be rebuilt from this table alone.
create table order_events (
  order_id uuid not null references orders (order_id),
  sequence int not null check (sequence >= 1),
  event_id text not null unique,
  type text not null,
  schema_version int not null,
  occurred_at timestamptz not null,
  payload jsonb not null,
  kafka_partition int not null,
  kafka_offset bigint not null,
  applied_at timestamptz not null default now(),
  primary key (order_id, sequence)
);

create function order_events_are_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'order_events is append-only: % is not allowed', tg_op;
end
$$;

create trigger order_events_append_only
  before update or delete on order_events
  for each row execute function order_events_are_append_only();

-- Down Migration

drop table order_events;
drop function order_events_are_append_only();
drop table orders;
