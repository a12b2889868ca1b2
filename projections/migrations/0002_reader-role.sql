-- Up Migration

-- The API reads the read model through this role, which can do nothing but SELECT. The role and its password
-- are made outside the migrations (projections/database-roles.sql), with the password from configuration.
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
