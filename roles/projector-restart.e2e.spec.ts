import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../config/app-config';
import { createPgPool } from '../config/clients';
import { orderWorkflowId } from '../contracts/ids';
import { TASK_QUEUES } from '../contracts/names';
import type { OrderState } from '../contracts/order-state';
import { getOrder } from '../projections/order-queries';
import { ORDER_WORKFLOW_TYPE, type OrderWorkflowInput } from '../workflows/order-definitions';
import { createLogger, routeTemporalLogs } from './logger';
import { startRole } from './roles';
import type { RunningRole } from './running-role';
import { startRoles, type RoleProcess } from './testing/role-process';

/**
 * The projector role runs as its own process and is killed (SIGKILL) or stopped (SIGTERM), an order is placed
 * while it restarts, and it is started again at once: its consumer group must hand it the partitions within
 * seconds, not after the dead member's 30 s default session, so the order reaches the read model within 10 s.
 * Counted from the moment the new process has migrated and starts its consumer, and the order is published:
 * how long Node takes to boot or an order takes on a loaded machine is not what this is about.
 */
const CATCH_UP_MS = 10_000;
const config = loadConfig({ ...process.env, STATION_TIME_SCALE: '0', SLA_GRACE_SECONDS: '300' });
const roles: RunningRole[] = [];
let projector: RoleProcess | undefined;
let connection: Connection;
let client: Client;
let pool: pg.Pool;

const startProjector = () => startRoles(['projector'], {}, 'Projector started');

/** Places an order and waits until its workflow has published every event, so only the projector is left. */
async function placeReadyOrder(): Promise<string> {
  const input: OrderWorkflowInput = {
    orderId: randomUUID(),
    customerId: 'e2e-projector-restart',
    drinks: [{ tea: 'Black', sugar: 25, pearl: 'None' }],
    policy: config.orderPolicy,
  };
  const result: OrderState = await client.workflow.execute(ORDER_WORKFLOW_TYPE, {
    taskQueue: TASK_QUEUES.orders,
    workflowId: orderWorkflowId(input.orderId),
    args: [input],
  });
  expect(result.status).toBe('ready');
  return input.orderId;
}

async function readModelStatus(orderId: string): Promise<string | undefined> {
  return (await getOrder(pool, orderId))?.status;
}

describe('a restarted projector', () => {
  beforeAll(async () => {
    const logger = createLogger('e2e-projector-restart');
    logger.level = 'warn';
    routeTemporalLogs(logger);
    for (const role of ['orchestrator', 'station:label', 'station:mix', 'station:top'] as const) roles.push(await startRole(role, config, logger));
    connection = await Connection.connect({ address: config.temporal.address });
    client = new Client({ connection, namespace: config.temporal.namespace });
    pool = createPgPool(config.database.url, logger);
    projector = await startProjector();
    // Caught up with everything before: the group has its one live member.
    const first = await placeReadyOrder();
    await vi.waitFor(async () => expect(await readModelStatus(first)).toBe('ready'), { timeout: 60_000, interval: 250 });
  });

  afterAll(async () => {
    await projector?.kill('SIGTERM');
    for (const role of roles.reverse()) await role.stop();
    await connection?.close();
    await pool?.end();
  });

  it.each([
    ['killed (SIGKILL)', 'SIGKILL'],
    ['stopped (SIGTERM)', 'SIGTERM'],
  ] as const)('catches up within 10 s of starting again after it was %s', async (_how, signal) => {
    await projector!.kill(signal);
    const restarting = startProjector();
    restarting.catch(() => undefined); // awaited below, after the order
    const orderId = await placeReadyOrder();
    const publishedAt = Date.now();
    projector = await restarting;
    const consumerStartedAt = await projector.waitForLog('Read model');

    await expect.poll(() => readModelStatus(orderId), { timeout: 60_000, interval: 200 }).toBe('ready');
    const caughtUpMs = Date.now() - Math.max(consumerStartedAt, publishedAt);
    expect(caughtUpMs, 'milliseconds from the consumer starting (and the order published) until the order is in the read model').toBeLessThanOrEqual(CATCH_UP_MS);
  });
});
