-- The shop's database roles, by least privilege. Run once per PostgreSQL cluster as a superuser (or a role with
-- CREATEROLE), and again to change a password; the local stack runs it at every start. The passwords come from
-- configuration, never from this file: set them in the same session first, e.g. with psql
--
--   select set_config('bubble_tea.owner_password', :'owner_password', false),
--          set_config('bubble_tea.projector_password', :'projector_password', false),
--          set_config('bubble_tea.reader_password', :'reader_password', false),
--          set_config('bubble_tea.analyst_password', :'analyst_password', false);
--   \i projections/database-roles.sql
--
-- then create the database owned by the owner role (`create database bubble_tea owner bubble_tea_owner`) and let
-- the migrations (run as that owner) grant the other two what they need on it:
--   bubble_tea_owner      owns the schema: the migrations and the rebuild run as it (DATABASE_URL)
--   bubble_tea_projector  INSERT/UPDATE of the read model's rows only; owns nothing, so it cannot TRUNCATE, DROP,
--                         ALTER or disable a trigger, and is no superuser, so no session_replication_role (DATABASE_PROJECTOR_URL)
--   bubble_tea_reader     SELECT only, read-only transactions, a statement timeout (DATABASE_READER_URL)
--   bubble_tea_analyst    SELECT on the reporting views only, read-only transactions (DATABASE_ANALYST_URL)
-- The migrations revoke CONNECT and TEMPORARY on the shop's database from PUBLIC; revoke CONNECT on the cluster's
-- other databases from PUBLIC too (below for `postgres`), or the two roles may connect to them.

do $$
declare
  shop_role record;
begin
  for shop_role in select * from (values ('bubble_tea_owner', 'owner'), ('bubble_tea_projector', 'projector'), ('bubble_tea_reader', 'reader'),
                                            ('bubble_tea_analyst', 'analyst')) as roles (name, key) loop
    if not exists (select from pg_roles where rolname = shop_role.name) then
      execute format('create role %I', shop_role.name);
    end if;
    execute format(
      'alter role %I login nosuperuser nocreaterole noreplication nobypassrls noinherit password %L',
      shop_role.name,
      current_setting('bubble_tea.' || shop_role.key || '_password')
    );
  end loop;
end
$$;

alter role bubble_tea_projector set statement_timeout = '60s';
alter role bubble_tea_reader set default_transaction_read_only = on;
alter role bubble_tea_reader set statement_timeout = '5s';
alter role bubble_tea_reader set temp_file_limit = '64MB';
alter role bubble_tea_analyst set default_transaction_read_only = on;
alter role bubble_tea_analyst set search_path = reporting;
alter role bubble_tea_analyst set statement_timeout = '60s';
revoke connect, temporary on database postgres from public;
