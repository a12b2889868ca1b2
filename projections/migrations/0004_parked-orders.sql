-- Up Migration

-- An order whose event can never be applied (PostgreSQL refuses its data, or it could not be read) is parked:
-- that event and every later one of the order wait here, unapplied, instead of stopping their partition.
create table parked_orders (
  order_id uuid primary key,
  reason text not null,
  parked_at timestamptz not null default now()
);

-- The message as received, as text: it may hold what jsonb cannot (such as \u0000).
create table parked_events (
  order_id uuid not null references parked_orders (order_id) on delete cascade,
  kafka_partition int not null,
  kafka_offset bigint not null,
  message text not null,
  parked_at timestamptz not null default now(),
  primary key (order_id, kafka_partition, kafka_offset)
);

grant select on parked_orders, parked_events to bubble_tea_reader;

-- Down Migration

drop table parked_events;
drop table parked_orders;
