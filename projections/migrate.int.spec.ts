import { runner } from 'node-pg-migrate';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/app-config';
import { ORDER_STATUS_NAMES } from '../contracts/order-state';
import { migrateReadModel, MIGRATIONS_DIR, READ_MODEL_MIGRATIONS_TABLE } from './migrate';
import { createScratchDatabase, roleOn, type ScratchDatabase } from './testing/scratch-database';

const serverUrl = loadConfig().database.url;
const ALL_MIGRATIONS = ['0001_read-model-tables', '0002_reader-role', '0003_order-delays-and-failures', '0004_parked-orders', '0005_reporting-views', '0006_least-privilege-roles', '0007_order-payments', '0008_orders-as-documents', '0009_report-rollups', '0010_order-documents-without-status-text'];
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
  const client = new pg.Client({ connectionString: roleOn(loadConfig().database.readerUrl, database) });
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

    expect(results.filter((applied) => applied.length > 0)).toEqual([ALL_MIGRATIONS]);
    expect(await migrateReadModel(database.url)).toEqual([]);
    const { rows } = await database.pool.query<{ name: string }>('select name from read_model_migrations order by id');
    expect(rows.map((row) => row.name)).toEqual(ALL_MIGRATIONS);
  });

  it('lets the reader role log in and SELECT, and nothing else', async () => {
    const database = await scratchDatabase(true);
    await asReader(database, async (reader) => {
      expect((await reader.query('select count(*)::int as count from orders')).rows).toEqual([{ count: 0 }]);
      expect((await reader.query('select count(*)::int as count from order_events')).rows).toEqual([{ count: 0 }]);
      // Columns added after the grant are covered by it too.
      expect((await reader.query('select sla_breached, delays, cancellation_reason, refunded_at from orders')).rows).toEqual([]);
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

  it('gives the orders of an older schema truthful values for the columns added later, and accepts every status', async () => {
    const database = await scratchDatabase(false);
    await runner({ databaseUrl: database.url, dir: MIGRATIONS_DIR, direction: 'up', count: 2, migrationsTable: READ_MODEL_MIGRATIONS_TABLE, log: () => undefined });
    const drinks = JSON.stringify([{ tea: 'Black', sugar: 0, pearl: 'None' }, { tea: 'Oolong', sugar: 50, pearl: 'Black Pearl', topping: 'Taro' }]);
    await database.pool.query(`insert into orders values (gen_random_uuid(), 'c', $1, 'ready', 400, 't', null, now(), now(), now(), now(), 4, now())`, [drinks]);

    expect(await migrateReadModel(database.url)).toEqual(ALL_MIGRATIONS.slice(2));
    const { rows } = await database.pool.query('select sla_breached, delays, cancelled_at, cancellation_reason, failed_at, failure_reason, refunded_at from orders');
    expect(rows).toEqual([
      { sla_breached: false, delays: [], cancelled_at: null, cancellation_reason: null, failed_at: null, failure_reason: null, refunded_at: null },
    ]);
    // Priced at the launch prices (450 + 500 + 50 + 75), never charged.
    const payments = await database.pool.query('select total_cents, currency, paid_cents, refunded_cents from orders');
    expect(payments.rows).toEqual([{ total_cents: 1075, currency: 'USD', paid_cents: null, refunded_cents: null }]);
    // Its document says the same as its columns did, timestamps as the fold writes them, but for the status in words (display, not state).
    const stored = await database.pool.query<{ order_id: string; placed_at: Date; document: Record<string, unknown> }>('select order_id, placed_at, document from orders');
    const { order_id: orderId, placed_at: placedAt, document } = stored.rows[0]!;
    const at = placedAt.toISOString();
    expect(document).toEqual({
      orderId, customerId: 'c', drinks: JSON.parse(drinks), status: 'ready', estimate: null,
      placedAt: at, labelledAt: at, mixedAt: at, readyAt: at, slaBreached: false, delays: [],
      cancelledAt: null, cancellationReason: null, failedAt: null, failureReason: null, refundedAt: null,
      totalCents: 1075, currency: 'USD', paymentId: null, paidCents: null, declineReason: null, refundId: null, refundedCents: null, lastSequence: 4,
    });
    // The reports' rollups start with the orders already there.
    const counted = await database.pool.query('select orders, drinks from reporting.orders_per_hour union all select orders, drinks from reporting.customer_summary');
    expect(counted.rows).toEqual([{ orders: 1, drinks: 2 }, { orders: 1, drinks: 2 }]);
    for (const status of ORDER_STATUS_NAMES) await database.pool.query('update orders set status = $1', [status]);
    await expect(database.pool.query(`update orders set status = 'lost'`)).rejects.toThrow(/orders_status_check/);
    await expect(database.pool.query(`update orders set delays = '{}'`)).rejects.toThrow(/check constraint/);
  });

  it('keeps order_events append-only', async () => {
    const database = await scratchDatabase(true);
    await database.pool.query(
      `insert into orders (order_id, customer_id, drinks, status, placed_at, last_applied_sequence, total_cents, document)
       values (gen_random_uuid(), 'c', '[]', 'placed', now(), 1, 0, '{}')`,
    );
    await database.pool.query(
      `insert into order_events (order_id, sequence, event_id, type, schema_version, occurred_at, payload, kafka_partition, kafka_offset)
       select order_id, 1, 'e', 'OrderPlaced', 1, now(), '{}', 0, 0 from orders`,
    );
    await expect(database.pool.query('delete from order_events')).rejects.toThrow(/append-only/);
    await expect(database.pool.query(`update order_events set type = 'x'`)).rejects.toThrow(/append-only/);
  });
});
