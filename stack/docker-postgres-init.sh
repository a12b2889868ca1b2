#!/bin/sh
# Runs once, when the postgres container initialises its data: the shop's roles (projections/database-roles.sql)
# with the passwords of the configuration, and the shop's database owned by the owner role. The owner may create
# databases too, as on the local stack, for the tests' scratch databases.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v owner_password="$DATABASE_OWNER_PASSWORD" -v projector_password="$DATABASE_PROJECTOR_PASSWORD" -v reader_password="$DATABASE_READER_PASSWORD" \
  -v analyst_password="$DATABASE_ANALYST_PASSWORD" <<'SQL'
select set_config('bubble_tea.owner_password', :'owner_password', false),
       set_config('bubble_tea.projector_password', :'projector_password', false),
       set_config('bubble_tea.reader_password', :'reader_password', false),
       set_config('bubble_tea.analyst_password', :'analyst_password', false);
\i /shop/database-roles.sql
alter role bubble_tea_owner createdb;
alter database bubble_tea owner to bubble_tea_owner;
SQL
