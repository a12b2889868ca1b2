import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/app-config';
import { compactReportRollups, REPORT_ROLLUP_TABLES } from './reports/rollups';
import { createScratchDatabase, roleOn, type ScratchDatabase } from './testing/scratch-database';

/** What each of the shop's database roles cannot do (projections/database-roles.sql and the migrations' grants). */

const config = loadConfig();
let database: ScratchDatabase;

beforeAll(async () => {
  database = await createScratchDatabase(config.database.url, { prefix: 'roles_test' });
});

afterAll(async () => {
  await database?.drop();
});

async function as<Result>(url: string, work: (client: pg.Client) => Promise<Result>): Promise<Result> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const PLACE_ONE = `insert into orders (order_id, customer_id, drinks, status, placed_at, last_applied_sequence, total_cents, document)
                   values (gen_random_uuid(), 'c', '[]', 'placed', now(), 1, 0, '{}') returning order_id`;

describe("the projector's role", () => {
  const projector = () => roleOn(config.database.projectorUrl, database);

  it('adds and updates rows of the read model', async () => {
    await as(projector(), async (client) => {
      const { rows } = await client.query<{ order_id: string }>(PLACE_ONE);
      await client.query(`update orders set status = 'labelled' where order_id = $1`, [rows[0]!.order_id]);
      await client.query(
        `insert into order_events (order_id, sequence, event_id, type, schema_version, occurred_at, payload, kafka_partition, kafka_offset)
         values ($1, 1, gen_random_uuid()::text, 'OrderPlaced', 1, now(), '{}', 0, 0)`,
        [rows[0]!.order_id],
      );
    });
  });

  it('refreshes the reports’ rollups, which it does not own', async () => {
    await as(projector(), async (client) => {
      await client.query('refresh materialized view concurrently reporting.item_counts_rollup');
      await expect(client.query('drop materialized view reporting.item_counts_rollup')).rejects.toThrow(/must be owner/);
    });
  });

  it('keeps the rollup tables through the triggers its writes fire, and compacts them', async () => {
    await as(projector(), async (client) => {
      await client.query(PLACE_ONE);
      const { rows } = await client.query<{ orders: number }>('select sum(orders)::int as orders from report_order_hours');
      expect(rows[0]!.orders).toBeGreaterThan(0);
    });
    const pool = new pg.Pool({ connectionString: projector(), max: 1 });
    try {
      await compactReportRollups(pool);
    } finally {
      await pool.end();
    }
  });

  it.each([
    ['alter table orders disable trigger report_rollups_on_update', /must be owner/],
    ['drop trigger report_rollups_on_insert on order_events', /must be owner/],
    ['truncate report_order_hours', /permission denied/],
    ['drop table report_stage_times', /must be owner/],
    ['update report_money_hours set charged_cents = 0', /permission denied/],
  ])('cannot touch the rollups but through the triggers and compaction: %s', async (statement, refusal) => {
    await as(projector(), async (client) => {
      await expect(client.query(statement)).rejects.toThrow(refusal);
    });
  });

  it.each([
    ['truncate order_events', /permission denied/],
    ['truncate orders cascade', /permission denied/],
    ['delete from order_events', /permission denied/],
    ['delete from orders', /permission denied/],
    ['alter table order_events disable trigger order_events_append_only', /must be owner/],
    ['drop table order_events', /must be owner/],
    ['drop trigger order_events_append_only on order_events', /must be owner/],
    ['create table intruder (id int)', /permission denied/],
    ['set session_replication_role = replica', /permission denied/],
    ['create temporary table scratch (id int)', /permission denied/],
    ['select * from read_model_migrations', /permission denied/],
  ])('cannot %s', async (statement, refusal) => {
    await as(projector(), async (client) => {
      await expect(client.query(statement)).rejects.toThrow(refusal);
    });
  });

  it('cannot connect to the cluster’s other databases', async () => {
    const url = new URL(projector());
    url.pathname = '/postgres';
    await expect(as(url.toString(), async () => undefined)).rejects.toThrow(/permission denied for database/);
  });
});

describe("the reader's role", () => {
  const reader = () => roleOn(config.database.readerUrl, database);

  it.each([
    ["insert into orders (order_id) values (gen_random_uuid())"],
    ['update orders set status = status'],
    ['delete from order_events'],
    ['truncate orders cascade'],
  ])('cannot write, even out of a read-only transaction: %s', async (statement) => {
    await as(reader(), async (client) => {
      await expect(client.query(statement)).rejects.toThrow(/read-only transaction/);
      await client.query('set default_transaction_read_only = off');
      await expect(client.query(statement)).rejects.toThrow(/permission denied/);
    });
  });

  it('cannot create a temporary table', async () => {
    await as(reader(), async (client) => {
      await client.query('set default_transaction_read_only = off');
      await expect(client.query('create temporary table scratch (id int)')).rejects.toThrow(/permission denied/);
    });
  });

  it('cannot connect to the postgres database', async () => {
    const url = new URL(reader());
    url.pathname = '/postgres';
    await expect(as(url.toString(), async () => undefined)).rejects.toThrow(/permission denied for database/);
  });

  it('has a long query cancelled by its statement timeout', async () => {
    await as(reader(), async (client) => {
      const { rows } = await client.query<{ statement_timeout: string }>('show statement_timeout');
      expect(rows[0]!.statement_timeout).toBe('5s');
      const began = Date.now();
      await expect(client.query('select pg_sleep(30)')).rejects.toThrow(/statement timeout/);
      expect(Date.now() - began).toBeLessThan(10_000);
    });
  });
});

describe("the analyst's role", () => {
  const analyst = () => roleOn(config.database.analystUrl, database);

  it('reads the reporting views and calls their functions', async () => {
    await as(analyst(), async (client) => {
      for (const view of ['revenue', 'revenue_daily', 'revenue_hourly', 'order_counts_hourly', 'stage_times', 'customer_day_teas', 'outcomes_hourly', 'failures_by_reason']) {
        await client.query(`select * from ${view}`);
      }
      await client.query(`select * from stage_durations_since(now() - interval '1 day')`);
    });
  });

  it.each(REPORT_ROLLUP_TABLES.map((table) => [table]))('cannot read the rollup table %s', async (table) => {
    await as(analyst(), async (client) => {
      await expect(client.query(`select * from public.${table}`)).rejects.toThrow(/permission denied/);
      await client.query('set default_transaction_read_only = off');
      await expect(client.query(`delete from public.${table}`)).rejects.toThrow(/permission denied/);
    });
  });
});
