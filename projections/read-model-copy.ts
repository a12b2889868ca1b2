import type { ClientBase } from 'pg';
import { REPORT_ROLLUP_TABLES } from './reports/rollups';

/*
 * The SQL of a rebuild: an empty copy of the read model's tables built beside them, and the swap that puts the
 * copy in their place. The copy is made from the live tables themselves (columns, defaults, checks, indexes under
 * their own names, foreign keys, triggers, grants), so it follows every migration without being told.
 *
 * The swap moves the live tables out to a schema of their own and the copy into `public`, in one transaction:
 * queries (the API's too) see the old tables up to the commit and the new ones after it, and one that waits on
 * the swap's lock finds the new ones by name once it gets it. Plain views over these tables are re-pointed in
 * the same transaction (`create or replace view` with their own definition), so a view keeps its name, grants and
 * dependants; a materialized view cannot be re-pointed that way, so a rebuild refuses to start while one exists.
 */

export const LIVE_SCHEMA = 'public';
/** Where the copy is built. */
export const REBUILD_SCHEMA = 'read_model_rebuild';
/** Where the replaced tables wait, inside the swap, to be dropped after it. */
export const RETIRED_SCHEMA = 'read_model_retired';
/** Every table that is the fold of the log, parents first; the reports' rollups are kept from the first two by triggers. */
export const READ_MODEL_TABLES = ['orders', 'order_events', 'parked_orders', 'parked_events', ...REPORT_ROLLUP_TABLES] as const;

export const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;
const qualified = (schema: string, table: string) => `${ident(schema)}.${ident(table)}`;
const liveTables = () => READ_MODEL_TABLES.map((table) => `${LIVE_SCHEMA}.${table}`);

interface DependentView {
  name: string;
  kind: string;
  definition: string;
}

/** Views and materialized views that use the live tables directly (views of those views follow them by themselves). */
async function dependentViews(client: ClientBase): Promise<DependentView[]> {
  const { rows } = await client.query<DependentView>(
    `select distinct view.oid::regclass::text as name, view.relkind as kind, pg_get_viewdef(view.oid) as definition
     from pg_depend dependency
     join pg_rewrite rule on rule.oid = dependency.objid
     join pg_class view on view.oid = rule.ev_class
     where dependency.classid = 'pg_rewrite'::regclass and dependency.refclassid = 'pg_class'::regclass
       and dependency.refobjid = any($1::regclass[]) and view.oid <> all($1::regclass[])`,
    [liveTables()],
  );
  return rows;
}

async function refuseMaterializedViews(client: ClientBase): Promise<void> {
  const materialized = (await dependentViews(client)).filter((view) => view.kind === 'm').map((view) => view.name);
  if (materialized.length > 0) {
    throw new Error(`materialized views use the read model's tables (${materialized.join(', ')}): a swap cannot re-point them; make them plain views or drop them first`);
  }
}

/** In the copy's definitions, names of live tables become the copy's. */
function towardsCopy(definition: string): string {
  return READ_MODEL_TABLES.reduce((text, table) => text.replace(new RegExp(`\\b${LIVE_SCHEMA}\\.${table}\\b`, 'g'), qualified(REBUILD_SCHEMA, table)), definition);
}

/** Builds an empty copy of the read model's tables in REBUILD_SCHEMA, dropping what an interrupted rebuild left. */
export async function createEmptyCopy(client: ClientBase): Promise<void> {
  await client.query('begin');
  try {
    await refuseMaterializedViews(client);
    await client.query(`drop schema if exists ${ident(REBUILD_SCHEMA)} cascade`);
    // Left by a swap whose drop failed: dropped without cascade, so what still uses those tables stops it again.
    await dropRetired(client);
    await client.query(`create schema ${ident(REBUILD_SCHEMA)}`);
    // Definitions below name every table with its schema, so they can be pointed at the copy.
    await client.query('set local search_path = pg_catalog');
    for (const table of READ_MODEL_TABLES) {
      await client.query(`create table ${qualified(REBUILD_SCHEMA, table)} (like ${qualified(LIVE_SCHEMA, table)} including all)`);
      await renameIndexesAsLive(client, table);
    }
    const { rows: foreignKeys } = await client.query<{ table_name: string; name: string; definition: string }>(
      `select conrelid::regclass::text as table_name, conname as name, pg_get_constraintdef(oid) as definition
       from pg_constraint where contype = 'f' and conrelid = any($1::regclass[])`,
      [liveTables()],
    );
    for (const key of foreignKeys) await client.query(`alter table ${towardsCopy(key.table_name)} add constraint ${ident(key.name)} ${towardsCopy(key.definition)}`);
    const { rows: triggers } = await client.query<{ definition: string }>(
      'select pg_get_triggerdef(oid) as definition from pg_trigger where not tgisinternal and tgrelid = any($1::regclass[])',
      [liveTables()],
    );
    for (const trigger of triggers) await client.query(towardsCopy(trigger.definition));
    const { rows: grants } = await client.query<{ table_name: string; privilege: string; grantee: string }>(
      `select c.relname as table_name, acl.privilege_type as privilege, case when acl.grantee = 0 then 'public' else quote_ident(r.rolname) end as grantee
       from pg_class c cross join lateral aclexplode(c.relacl) acl left join pg_roles r on r.oid = acl.grantee
       where c.oid = any($1::regclass[]) and acl.grantee <> c.relowner`,
      [liveTables()],
    );
    for (const grant of grants) await client.query(`grant ${grant.privilege} on ${qualified(REBUILD_SCHEMA, grant.table_name)} to ${grant.grantee}`);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  }
}

/** `like ... including all` names indexes by the default rule; later migrations refer to them by their own names. */
async function renameIndexesAsLive(client: ClientBase, table: string): Promise<void> {
  const { rows } = await client.query<{ copy_name: string; live_name: string }>(
    `select copy_index.relname as copy_name, live_index.relname as live_name
     from pg_index live join pg_class live_index on live_index.oid = live.indexrelid,
          pg_index copy join pg_class copy_index on copy_index.oid = copy.indexrelid
     where live.indrelid = $1::regclass and copy.indrelid = $2::regclass and copy_index.relname <> live_index.relname
       and regexp_replace(pg_get_indexdef(live.indexrelid), '^.*? USING ', '') = regexp_replace(pg_get_indexdef(copy.indexrelid), '^.*? USING ', '')`,
    [`${LIVE_SCHEMA}.${table}`, `${REBUILD_SCHEMA}.${table}`],
  );
  for (const { copy_name, live_name } of rows) await client.query(`alter index ${qualified(REBUILD_SCHEMA, copy_name)} rename to ${ident(live_name)}`);
}

/** Holds the live tables against writes (reads go on), so the live projector waits; in the caller's transaction. */
export async function holdLiveWrites(client: ClientBase, lockTimeoutMs: number): Promise<void> {
  await client.query(`set local lock_timeout = ${Math.round(lockTimeoutMs)}`);
  await client.query(`lock table ${READ_MODEL_TABLES.map((table) => qualified(LIVE_SCHEMA, table)).join(', ')} in exclusive mode`);
}

/**
 * Puts the copy in the live tables' place, in the caller's transaction (which commits it): live tables out to
 * RETIRED_SCHEMA, the copy in, dependent views re-pointed. Readers wait only for this, not for the copy.
 */
export async function swapInCopy(client: ClientBase, lockTimeoutMs: number): Promise<{ views: string[] }> {
  await client.query(`set local lock_timeout = ${Math.round(lockTimeoutMs)}`);
  await refuseMaterializedViews(client);
  const views = await dependentViews(client);
  // Views first, as a query of a view takes them (view, then its tables): the other order could deadlock with it.
  const all = [
    ...views.map((view) => view.name),
    ...READ_MODEL_TABLES.map((table) => qualified(LIVE_SCHEMA, table)),
    ...READ_MODEL_TABLES.map((table) => qualified(REBUILD_SCHEMA, table)),
  ];
  await client.query(`lock table ${all.join(', ')} in access exclusive mode`);
  await client.query(`create schema ${ident(RETIRED_SCHEMA)}`);
  for (const table of READ_MODEL_TABLES) await client.query(`alter table ${qualified(LIVE_SCHEMA, table)} set schema ${ident(RETIRED_SCHEMA)}`);
  for (const table of READ_MODEL_TABLES) await client.query(`alter table ${qualified(REBUILD_SCHEMA, table)} set schema ${ident(LIVE_SCHEMA)}`);
  // Their definitions were taken before the move, naming the tables as `public` has them: now the copy.
  for (const view of views) await client.query(`create or replace view ${view.name} as ${view.definition}`);
  await client.query(`drop schema ${ident(REBUILD_SCHEMA)}`);
  return { views: views.map((view) => view.name) };
}

/** Drops the replaced tables; without cascade, so anything still using them stops the drop instead of going with it. */
export async function dropRetired(client: ClientBase): Promise<void> {
  const { rows } = await client.query<{ exists: boolean }>('select exists (select 1 from pg_namespace where nspname = $1)', [RETIRED_SCHEMA]);
  if (!rows[0]!.exists) return;
  await client.query(`drop table ${[...READ_MODEL_TABLES].reverse().map((table) => qualified(RETIRED_SCHEMA, table)).join(', ')}`);
  await client.query(`drop schema ${ident(RETIRED_SCHEMA)}`);
}
