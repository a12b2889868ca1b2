import { randomUUID } from 'node:crypto';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStationFaultsPublisher } from '../activities/station-faults-channel';
import { createStationActivities, stationWorkerOptions } from '../activities/stations';
import { loadConfig } from '../config/app-config';
import { createKafka } from '../config/clients';
import { orderWorkflowId } from '../contracts/ids';
import { TASK_QUEUES } from '../contracts/names';
import type { OrderState } from '../contracts/order-state';
import { NO_FAULTS } from '../contracts/station-faults';
import { ORDER_WORKFLOW_TYPE, type OrderWorkflowInput } from '../workflows/order-definitions';
import { createLogger, routeTemporalLogs } from './logger';
import { startRole } from './roles';
import type { RunningRole } from './running-role';
import { startRoles, type RoleProcess } from './testing/role-process';

/**
 * A mix station worker, run as its own process, is killed (SIGKILL) while it mixes an order; a second mix
 * worker is running. Heartbeats let Temporal notice the dead worker within seconds and retry the mix on the
 * other one, instead of waiting out the activity's 10-minute start-to-close timeout.
 */
const SLOW_MIX_MS = 120_000;
const config = loadConfig({ ...process.env, STATION_TIME_SCALE: '0', SLA_GRACE_SECONDS: '300' });
const stationFaults = createStationFaultsPublisher(createKafka(config));
const roles: RunningRole[] = [];
let slowMixer: RoleProcess | undefined;
let fastMixer: { worker: Worker; running: Promise<void>; connection: NativeConnection } | undefined;
let connection: Connection;
let client: Client;
let order: WorkflowHandle | undefined;

async function startFastMixer(identity: string) {
  const nativeConnection = await NativeConnection.connect({ address: config.temporal.address });
  const worker = await Worker.create({
    connection: nativeConnection,
    namespace: config.temporal.namespace,
    identity,
    ...stationWorkerOptions('mix', createStationActivities({ timeScale: 0, faultsOf: () => NO_FAULTS })),
  });
  return { worker, running: worker.run(), connection: nativeConnection };
}

async function pendingMix(handle: WorkflowHandle) {
  const { raw } = await handle.describe();
  return raw.pendingActivities?.find((activity) => activity.activityType?.name === 'mixTea');
}

describe('a station worker killed mid-activity', () => {
  beforeAll(async () => {
    const logger = createLogger('e2e-dead-station-worker');
    logger.level = 'warn';
    routeTemporalLogs(logger);
    // Every station worker follows the faults topic: the slow one reads this, the fast one below ignores it.
    await stationFaults.publish({ station: 'mix', faults: { ...NO_FAULTS, extraLatencyMs: SLOW_MIX_MS } });
    slowMixer = await startRoles(['station:mix'], { STATION_TIME_SCALE: '0', STATION_MIX_EXTRA_LATENCY_MS: String(SLOW_MIX_MS) }, 'Station mix worker started');
    for (const role of ['orchestrator', 'station:label', 'station:top'] as const) roles.push(await startRole(role, config, logger));
    connection = await Connection.connect({ address: config.temporal.address });
    client = new Client({ connection, namespace: config.temporal.namespace });
  });

  afterAll(async () => {
    await slowMixer?.kill('SIGKILL');
    if (fastMixer) {
      fastMixer.worker.shutdown();
      await fastMixer.running;
      await fastMixer.connection.close();
    }
    for (const role of roles.reverse()) await role.stop();
    // A failed run leaves its order waiting for a mixer: end it, so no later test meets it.
    await order?.terminate('test over').catch(() => undefined);
    await connection?.close();
    await stationFaults.publish({ station: 'mix', faults: NO_FAULTS });
    await stationFaults.close();
  });

  it('has its order mixed by another worker within seconds', async () => {
    const input: OrderWorkflowInput = {
      orderId: randomUUID(),
      customerId: 'e2e-dead-worker',
      drinks: [{ tea: 'Oolong', sugar: 50, pearl: 'Black Pearl' }],
      policy: config.orderPolicy,
    };
    const handle = (order = await client.workflow.start(ORDER_WORKFLOW_TYPE, { taskQueue: TASK_QUEUES.orders, workflowId: orderWorkflowId(input.orderId), args: [input] }));

    // The slow mixer, the only one so far, takes the mix and holds it.
    await expect
      .poll(async () => (await pendingMix(handle))?.lastWorkerIdentity, { timeout: 60_000, interval: 250 })
      .toMatch(new RegExp(`^${slowMixer!.pid}@`));
    const fastIdentity = `fast-mixer-${randomUUID()}`;
    fastMixer = await startFastMixer(fastIdentity);
    await slowMixer!.kill('SIGKILL');

    // Without heartbeats the retry waits out the 10-minute start-to-close timeout: this would time out.
    const result = await Promise.race([
      handle.result() as Promise<OrderState>,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the order was not ready within 60 s of the kill')), 60_000)),
    ]);
    expect(result).toMatchObject({ status: 'ready', slaBreached: false });

    const events = (await handle.fetchHistory()).events!;
    const mixScheduled = events.find((event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'mixTea')!;
    const mixStarted = events.find((event) => event.activityTaskStartedEventAttributes?.scheduledEventId?.toString() === mixScheduled.eventId?.toString())!;
    expect(mixStarted.activityTaskStartedEventAttributes).toMatchObject({ identity: fastIdentity, attempt: 2 });
    expect(mixStarted.activityTaskStartedEventAttributes!.lastFailure?.timeoutFailureInfo?.timeoutType).toBe(temporal.api.enums.v1.TimeoutType.TIMEOUT_TYPE_HEARTBEAT);
  });
});
