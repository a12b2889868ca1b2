-- Up Migration

-- Runs as the owner role. The roles themselves, and their passwords, are made outside the migrations
-- (projections/database-roles.sql). Nobody but the roles named here may connect or make temporary tables.
do $$
begin
  execute format('revoke connect, temporary on database %I from public', current_database());
  execute format('grant connect on database %I to bubble_tea_projector, bubble_tea_reader, bubble_tea_analyst', current_database());
end
$$;

revoke create on schema public from public;

-- The projector adds and updates rows, and takes an order out of the parking (its events go with it, by the
-- foreign key's cascade). It owns nothing, so it cannot truncate, alter, drop or disable a trigger.
grant usage on schema public to bubble_tea_projector;
grant select, insert, update on orders to bubble_tea_projector;
grant select, insert on order_events to bubble_tea_projector;
grant select, insert, delete on parked_orders to bubble_tea_projector;
grant select, insert on parked_events to bubble_tea_projector;

-- It refreshes the reports' rollups: MAINTAIN allows REFRESH MATERIALIZED VIEW (run as their owner) and nothing else of note.
grant usage on schema reporting to bubble_tea_projector;
grant maintain on reporting.rollup_coverage, reporting.item_counts_rollup, reporting.stage_durations_rollup to bubble_tea_projector;

-- Down Migration

revoke maintain on reporting.rollup_coverage, reporting.item_counts_rollup, reporting.stage_durations_rollup from bubble_tea_projector;
revoke usage on schema reporting from bubble_tea_projector;
revoke select, insert on parked_events from bubble_tea_projector;
revoke select, insert, delete on parked_orders from bubble_tea_projector;
revoke select, insert on order_events from bubble_tea_projector;
revoke select, insert, update on orders from bubble_tea_projector;
revoke usage on schema public from bubble_tea_projector;
do $$
begin
  execute format('grant connect, temporary on database %I to public', current_database());
end
$$;
