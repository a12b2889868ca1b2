import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { LOCAL_STACK_DEFAULTS, loadConfig } from '../../config/app-config';
import { createScratchDatabase, urlAs } from './scratch-database';

const config = loadConfig();

async function databaseExists(name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: config.database.url });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    return rowCount === 1;
  } finally {
    await client.end();
  }
}

describe('a scratch database', () => {
  // The owner role may not end a superuser's backend, and autovacuum's workers count as one: a test's
  // teardown that meets one at work must wait for it, not fail the whole file.
  it('is dropped once a backend its owner may not end has gone', async () => {
    const database = await createScratchDatabase(config.database.url, { prefix: 'scratch_test', migrate: false });
    const superuser = new pg.Client({ connectionString: urlAs(database.url, LOCAL_STACK_DEFAULTS.POSTGRES_USER, LOCAL_STACK_DEFAULTS.POSTGRES_PASSWORD) });
    await superuser.connect();
    const superuserLeaves = new Promise<void>((resolve) => setTimeout(() => void superuser.end().then(resolve), 500));

    await database.drop();
    await superuserLeaves;

    expect(await databaseExists(database.name)).toBe(false);
  });
});
