import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import pg from 'pg';
import type { Logger } from 'pino';
import { PG_CONNECTION_TIMEOUT_MS } from '../config/clients';

/*
 * Brings the read model's schema up to date. Safe at every startup and from several processes at once:
 * node-pg-migrate holds a PostgreSQL advisory lock while it migrates, and 'wait' makes a second process queue
 * behind the first (then find nothing left to do) instead of failing.
 */

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));

/** Its own bookkeeping table, so migrations other parts of the system keep in this database never interleave with these. */
export const READ_MODEL_MIGRATIONS_TABLE = 'read_model_migrations';

/** Returns the names of the migrations it applied (none when the schema was already current). */
export async function migrateReadModel(databaseUrl: string, logger?: Logger): Promise<string[]> {
  // Our own connection rather than node-pg-migrate's, which has no 'error' listener: a server that goes away
  // mid-migration would end the process instead of failing the migration (which then rolls back).
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: PG_CONNECTION_TIMEOUT_MS });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await migrateOn(client, logger);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function migrateOn(dbClient: pg.Client, logger: Logger | undefined): Promise<string[]> {
  const applied = await runner({
    dbClient,
    dir: MIGRATIONS_DIR,
    direction: 'up',
    migrationsTable: READ_MODEL_MIGRATIONS_TABLE,
    singleTransaction: true,
    checkOrder: true,
    advisoryLockMode: 'wait',
    logger: {
      debug: (message) => logger?.debug(message),
      info: (message) => logger?.debug(message),
      warn: (message) => logger?.warn(message),
      error: (message) => logger?.error(message),
    },
  });
  const names = applied.map((migration) => migration.name);
  logger?.info({ applied: names }, names.length > 0 ? 'read model migrated' : 'read model schema already current');
  return names;
}
