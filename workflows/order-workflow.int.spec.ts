import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { KafkaMessage } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/app-config';
import { createKafka } from '../config/clients';
import { orderWorkflowId } from '../contracts/ids';
import { TASK_QUEUES, TOPICS } from '../contracts/names';
import { createLogger, routeTemporalLogs } from '../roles/logger';
import { startOrchestrator } from '../roles/orchestrator';
import type { RunningRole } from '../roles/running-role';
import { startStation } from '../roles/station';
import { getOrderQuery, ORDER_WORKFLOW_TYPE, type OrderWorkflowInput } from './order-definitions';

const config = loadConfig();
const logger = createLogger('order-workflow-test');
logger.level = 'warn';
let roles: RunningRole[] = [];
let connection: Connection;
let client: Client;

/** Reads the order events topic from the start until `orderId` has `count` events, bounded in time. */
async function eventsOf(orderId: string, count: number): Promise<Array<{ partition: number; message: KafkaMessage }>> {
  const consumer = createKafka(config).consumer({ groupId: `order-workflow-test-${randomUUID()}` });
  const found: Array<{ partition: number; message: KafkaMessage }> = [];
  await consumer.connect();
  await consumer.subscribe({ topic: TOPICS.orderEvents, fromBeginning: true });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${found.length} of ${count} events of ${orderId} found`)), 30_000);
      void consumer.run({
        eachMessage: async ({ partition, message }) => {
          if (message.key?.toString() !== orderId) return;
          found.push({ partition, message });
          if (found.length === count) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return found;
}

describe('orderWorkflow on the real Temporal server and Kafka', () => {
  beforeAll(async () => {
    routeTemporalLogs(logger);
    roles = [
      await startOrchestrator(config, logger),
      ...(await Promise.all((['label', 'mix', 'top'] as const).map((station) => startStation(station, config, logger, 0)))),
    ];
    connection = await Connection.connect({ address: config.temporal.address });
    client = new Client({ connection, namespace: config.temporal.namespace });
  });

  afterAll(async () => {
    await connection?.close();
    await Promise.all(roles.map((role) => role.stop()));
  });

  it('takes an order through label, mix and top and publishes its events in sequence on one partition', async () => {
    const input: OrderWorkflowInput = {
      orderId: randomUUID(),
      customerId: 'alice',
      drinks: [
        { tea: 'Oolong', sugar: 50, pearl: 'Black Pearl', topping: 'Taro' },
        { tea: 'Black', sugar: 0, pearl: 'None' },
        { tea: 'Jasmine Green Tea', sugar: 100, pearl: 'Lychee Pearl', topping: 'Matcha' },
      ],
    };
    const handle = await client.workflow.start(ORDER_WORKFLOW_TYPE, {
      taskQueue: TASK_QUEUES.orders,
      workflowId: orderWorkflowId(input.orderId),
      args: [input],
    });
    const result = (await handle.result()) as { status: string; lastSequence: number; readyAt: string | null };
    expect(result).toMatchObject({ status: 'ready', lastSequence: 4 });
    expect(await handle.query(getOrderQuery)).toEqual(result);

    const events = await eventsOf(input.orderId, 4);
    const values = events.map(({ message }) => JSON.parse(message.value!.toString()) as { type: string; sequence: number; eventId: string });
    expect(values.map((event) => event.type)).toEqual(['OrderPlaced', 'CupLabelled', 'TeaMixed', 'OrderTopped']);
    expect(values.map((event) => event.sequence)).toEqual([1, 2, 3, 4]);
    expect(values.map((event) => event.eventId)).toEqual([1, 2, 3, 4].map((sequence) => `${input.orderId}:${sequence}`));
    expect(new Set(events.map((event) => event.partition)).size).toBe(1);
    expect(events[1]!.message.headers?.['event-type']?.toString()).toBe('CupLabelled');
    expect(events[1]!.message.headers?.['schema-version']?.toString()).toBe('1');
  });
});
