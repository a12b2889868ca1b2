import { randomUUID } from 'node:crypto';
import { Partitioners, type Kafka } from 'kafkajs';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderEventMessage } from '../activities/publisher';
import { loadConfig } from '../config/app-config';
import { createKafka } from '../config/clients';
import type { OrderEvent } from '../contracts/events';
import type { LoggedOrderEvent } from '../contracts/upcasters';
import { ensureOrderTopics, type OrderTopicNames } from './ensure-topics';
import { createProjector, type Projector } from './projector';
import { rebuildReadModel } from './rebuild';
import { readModelStatus } from './status';
import { ALTERNATIVE_PATHS, orderHistory, orderHistoryOf } from './testing/order-event-fixtures';
import { createScratchDatabase, type ScratchDatabase } from './testing/scratch-database';
import { REPORT_NAMES } from '../contracts/reports';
import { runReport } from './reports/report-queries';
import { verifyReadModel } from './verify';

/**
 * The rebuild, verify and status on a read model of their own (a scratch database, topics and consumer group),
 * with the live projector running throughout, on the real Kafka and PostgreSQL.
 */
const config = loadConfig();
const kafka: Kafka = createKafka(config);
const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn' });
const id = randomUUID();
const topics: OrderTopicNames = { orderEvents: `rebuild-test.${id}`, deadLetter: `rebuild-test.${id}.dead-letter` };
const groupId = `rebuild-test.${id}`;
let database: ScratchDatabase;
let live: Projector;

async function produce(events: readonly LoggedOrderEvent[]): Promise<void> {
  const producer = kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  await producer.send({ topic: topics.orderEvents, acks: -1, messages: events.map(orderEventMessage) });
  await producer.disconnect();
}

const liveOptions = () => ({ kafka, topic: topics.orderEvents, groupId, deadLetterTopic: topics.deadLetter });

async function untilCaughtUp(): Promise<void> {
  await expect.poll(async () => (await readModelStatus({ ...liveOptions(), pool: database.pool })).lag, { timeout: 60_000, interval: 250 }).toBe(0);
}

/** Indexes, constraints, triggers and grants of the read model's tables, by name: what a swap must keep. */
async function catalog(): Promise<unknown> {
  const { rows } = await database.pool.query(
    `select 'index' as kind, indexrelid::regclass::text as name, pg_get_indexdef(indexrelid) as definition from pg_index
       where indrelid = any(array['orders', 'order_events', 'parked_orders', 'parked_events']::regclass[])
     union all
     select 'constraint', conname, pg_get_constraintdef(oid) from pg_constraint where conrelid = any(array['orders', 'order_events', 'parked_orders', 'parked_events']::regclass[])
     union all
     select 'trigger', tgname, pg_get_triggerdef(oid) from pg_trigger where not tgisinternal
     union all
     select 'grant', relname, relacl::text from pg_class where relnamespace = 'public'::regnamespace and relname in ('orders', 'order_events', 'parked_orders', 'parked_events')
     order by 1, 2, 3`,
  );
  return rows;
}

beforeAll(async () => {
  database = await createScratchDatabase(config.database.url, { prefix: 'rebuild_test' });
  await ensureOrderTopics(kafka, topics);
  live = createProjector({ ...liveOptions(), pool: database.pool, logger });
  await live.start();
});

afterAll(async () => {
  await live?.stop();
  await database?.drop();
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topics.orderEvents, topics.deadLetter] }).catch(() => undefined);
  await admin.deleteGroups([groupId]).catch(() => undefined);
  await admin.disconnect();
});

describe('rebuild, verify and status', () => {
  it('verify finds a tampered order; a rebuild from the log mends it, keeps views, indexes and grants, and the live projector goes on', async () => {
    const histories: OrderEvent[][] = [
      ...Array.from({ length: 30 }, (_, index) => orderHistory(index)),
      ...Object.values(ALTERNATIVE_PATHS).map((steps, index) => orderHistoryOf(100 + index, steps)),
    ];
    // One order as version 1 wrote it, before prices.
    const [placed, ...rest] = orderHistory(200);
    const v1 = { ...placed!, schemaVersion: 1, data: { customerId: 'old', drinks: [{ tea: 'Black', sugar: 0, pearl: 'None' }] } } as LoggedOrderEvent;
    await produce([...histories.flat(), v1, ...rest]);
    await untilCaughtUp();
    expect(await verifyReadModel({ ...liveOptions(), pool: database.pool })).toMatchObject({ ordersInLog: 34, ordersCompared: 34, differences: [] });
    const reportsOf = () => Promise.all(REPORT_NAMES.map((name) => runReport(database.pool, name, null)));
    const reports = await reportsOf();

    const tampered = histories[3]![0]!.orderId;
    const tamperedDocument = histories[4]![0]!.orderId;
    await database.pool.query(`update orders set customer_id = 'someone else' where order_id = $1`, [tampered]);
    await database.pool.query(`update orders set document = jsonb_set(document, '{customerId}', '"someone else"') where order_id = $1`, [tamperedDocument]);
    const found = await verifyReadModel({ ...liveOptions(), pool: database.pool });
    expect(found.differences).toEqual(
      expect.arrayContaining([
        { orderId: tampered, problem: 'differs from the fold of the log in column customer_id' },
        { orderId: tamperedDocument, problem: 'differs from the fold of the log in customerId' },
      ]),
    );
    expect(found.differences).toHaveLength(2);

    await database.pool.query('create view orders_per_customer as select customer_id, count(*)::int as orders from orders group by customer_id');
    await database.pool.query('create materialized view orders_snapshot as select order_id from orders');
    const rebuild = () => rebuildReadModel({ kafka, databaseUrl: database.url, logger, topic: topics.orderEvents });
    await expect(rebuild()).rejects.toThrow(/materialized views use the read model's tables \(orders_snapshot\)/);
    await database.pool.query('drop materialized view orders_snapshot');

    const before = await catalog();
    const result = await rebuild();
    expect(result).toMatchObject({ messages: histories.flat().length + 4 });
    // The reporting views over the tables (migrations 0005 and 0009) are re-pointed too; those over them follow.
    expect(result.views.toSorted()).toEqual([
      'orders_per_customer',
      ...['customer_day_teas', 'customer_days', 'customer_days_start', 'customer_teas', 'customer_totals', 'drinks', 'order_counts_hourly', 'order_counts_per_minute', 'order_facts', 'order_outcomes'],
      ...['order_stage_durations', 'order_teas', 'outcomes_hourly', 'refunds_hourly', 'revenue_hourly', 'sla_breaches', 'sla_breaches_hourly', 'stage_time_buckets', 'stage_times'],
    ].map((view) => (view === 'orders_per_customer' ? view : `reporting.${view}`)));
    // The copy's triggers filled its rollups as it folded the log: every report reads as before the tampering.
    expect(await reportsOf()).toEqual(reports);
    expect(await catalog()).toEqual(before);
    expect(await verifyReadModel({ ...liveOptions(), pool: database.pool })).toMatchObject({ ordersCompared: 34, differences: [] });
    const { rows } = await database.pool.query(`select orders from orders_per_customer where customer_id = 'old'`);
    expect(rows).toEqual([{ orders: 1 }]);
    expect((await database.pool.query('select sum(orders)::int as orders from reporting.drinks_per_order')).rows).toEqual([{ orders: 34 }]);

    // The live projector goes on into the new tables.
    const later = orderHistory(300);
    await produce(later);
    await untilCaughtUp();
    expect(await verifyReadModel({ ...liveOptions(), pool: database.pool })).toMatchObject({ ordersCompared: 35, differences: [] });
    const status = await readModelStatus({ ...liveOptions(), pool: database.pool });
    expect(status).toMatchObject({ lag: 0, orders: 35, parkedOrders: 0, deadLettered: 0, rebuildInProgress: false });
    expect(status.events).toBe(status.partitions.reduce((total, partition) => total + partition.end, 0));
  });
});
