import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/app-config';
import { migrateReadModel } from './migrate';
import { createScratchDatabase, urlAs, type ScratchDatabase } from './testing/scratch-database';

const serverUrl = loadConfig().database.url;
const databases: ScratchDatabase[] = [];

afterAll(async () => {
  for (const database of databases) await database.drop();
});

async function scratchDatabase(migrate: boolean): Promise<ScratchDatabase> {
  const database = await createScratchDatabase(serverUrl, { prefix: 'migrate_test', migrate });
  databases.push(database);
  return database;
}

async function asReader<Result>(database: ScratchDatabase, work: (client: pg.Client) => Promise<Result>): Promise<Result> {
  const client = new pg.Client({ connectionString: urlAs(database.url, 'bubble_tea_reader', 'bubble_tea_reader') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

describe('migrateReadModel', () => {
  it('migrates once when several processes start at the same moment, and is a no-op afterwards', async () => {
    const database = await scratchDatabase(false);
    const results = await Promise.all([1, 2, 3, 4].map(() => migrateReadModel(database.url)));

    expect(results.filter((applied) => applied.length > 0)).toEqual([['0001_read-model-tables', '0002_reader-role']]);
    expect(await migrateReadModel(database.url)).toEqual([]);
    const { rows } = await database.pool.query<{ name: string }>('select name from read_model_migrations order by id');
    expect(rows.map((row) => row.name)).toEqual(['0001_read-model-tables', '0002_reader-role']);
  });

  it('lets the reader role log in and SELECT, and nothing else', async () => {
    const database = await scratchDatabase(true);
    await asReader(database, async (reader) => {
      expect((await reader.query('select count(*)::int as count from orders')).rows).toEqual([{ count: 0 }]);
      expect((await reader.query('select count(*)::int as count from order_events')).rows).toEqual([{ count: 0 }]);
      await expect(reader.query('delete from order_events')).rejects.toThrow(/read-only transaction/);
      // Read-only transactions are only the first line; without them the privileges still refuse every write.
      await reader.query('set default_transaction_read_only = off');
      await expect(reader.query('insert into orders (order_id) values (gen_random_uuid())')).rejects.toThrow(/permission denied/);
      await expect(reader.query('update orders set status = status')).rejects.toThrow(/permission denied/);
      await expect(reader.query('delete from order_events')).rejects.toThrow(/permission denied/);
      await expect(reader.query('create table intruder (id int)')).rejects.toThrow(/permission denied/);
      await expect(reader.query('select * from read_model_migrations')).rejects.toThrow(/permission denied/);
    });
  });

  it('keeps order_events append-only', async () => {
    const database = await scratchDatabase(true);
    await database.pool.query(`insert into orders values (gen_random_uuid(), 'c', '[]', 'placed', 100, 't', null, now(), null, null, null, 1, now())`);
    await database.pool.query(
      `insert into order_events (order_id, sequence, event_id, type, schema_version, occurred_at, payload, kafka_partition, kafka_offset)
       select order_id, 1, 'e', 'OrderPlaced', 1, now(), '{}', 0, 0 from orders`,
    );
    await expect(database.pool.query('delete from order_events')).rejects.toThrow(/append-only/);
    await expect(database.pool.query(`update order_events set type = 'x'`)).rejects.toThrow(/append-only/);
  });
});
