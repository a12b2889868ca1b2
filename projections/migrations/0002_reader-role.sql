-- Up Migration

-- The API reads the read model through this role, which can do nothing but SELECT.
-- Roles are cluster-wide: another database's migration may have created it already, or be creating it right now.
do $$
begin
  create role bubble_tea_reader login password 'bubble_tea_reader' nosuperuser nocreatedb nocreaterole noinherit;
  alter role bubble_tea_reader set default_transaction_read_only = on;
exception
  when duplicate_object or unique_violation then null;
end
$$;

do $$
begin
  execute format('grant connect on database %I to bubble_tea_reader', current_database());
end
$$;

grant usage on schema public to bubble_tea_reader;
grant select on orders, order_events to bubble_tea_reader;

-- Down Migration

-- The role itself stays: it is shared by every database of the cluster.
revoke select on orders, order_events from bubble_tea_reader;
revoke usage on schema public from bubble_tea_reader;
