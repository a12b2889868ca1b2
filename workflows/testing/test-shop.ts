import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { NativeConnection, Worker } from '@temporalio/worker';
import { Partitioners } from 'kafkajs';
import { FakePaymentProvider } from '../../activities/fake-payment-provider';
import type { PaymentProvider } from '../../activities/payment-provider';
import { createPaymentActivities } from '../../activities/payments';
import { createPublisherActivities } from '../../activities/publisher';
import { createStationActivities, stationWorkerOptions } from '../../activities/stations';
import { loadConfig } from '../../config/app-config';
import { createKafka } from '../../config/clients';
import { orderWorkflowId } from '../../contracts/ids';
import type { Drink } from '../../contracts/order-input';
import { STATIONS, TASK_QUEUES, type Station } from '../../contracts/names';
import { NO_FAULTS, type StationFaults } from '../../contracts/station-faults';
import { publishedEventsOf, type PublishedEvent } from '../../activities/testing/order-events-in-kafka';
import { TEST_NAMESPACE } from '../../stack/testing/test-namespaces';
import { type OrderPolicy, type OrderWorkflowInput } from '../order-definitions';
import { orderWorkflow } from '../order-workflow';
import { installRuntimeLoggingTo } from './sdk-log-to-file';

/**
 * A shop of its own for workflow tests: real workers in the test namespace, so no other worker takes its
 * tasks; events on a topic of its own; station faults and the station dice set by each test.
 */
export interface TestShop {
  client: Client;
  faults: Record<Station, StationFaults>;
  /** Dice rolls the stations use for their failure rate, taken in order; 0.99 once empty. */
  dice: number[];
  /** The fake card provider every order is charged through; its rules are set by each test. */
  payments: FakePaymentProvider;
  /** Charges that reach the provider but whose answer is lost on the way back, as many as this says (then the activity is retried). */
  lostChargeAnswers: { count: number };
  placeOrder(drinks: Drink[], policy: Partial<OrderPolicy>, customerId?: string): Promise<WorkflowHandle>;
  eventsOf(orderId: string): Promise<PublishedEvent[]>;
  /** With RECORD_HISTORIES=true, saves the order's history for the replay test. */
  recordHistory(handle: WorkflowHandle, name: string): Promise<void>;
  stop(): Promise<void>;
}

/** Instant stations and SLAs long enough that only a test that shortens them sees a delay, however loaded the machine. */
export const QUICK_POLICY: OrderPolicy = { stationTimeScale: 0, slaFactor: 1.5, slaGraceSeconds: 30, deadlineSeconds: 60 };

export async function startTestShop(): Promise<TestShop> {
  const config = loadConfig();
  const kafka = createKafka(config);
  const topic = `order-paths-test.${randomUUID()}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 6 }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();

  const faults: Record<Station, StationFaults> = { label: { ...NO_FAULTS }, mix: { ...NO_FAULTS }, top: { ...NO_FAULTS } };
  const dice: number[] = [];
  const stations = createStationActivities({ timeScale: 0, faultsOf: (station) => faults[station], random: () => dice.shift() ?? 0.99 });

  const payments = new FakePaymentProvider();
  const lostChargeAnswers = { count: 0 };
  const provider: PaymentProvider = {
    async charge(request) {
      const answer = await payments.charge(request);
      if (lostChargeAnswers.count > 0) {
        lostChargeAnswers.count -= 1;
        throw new Error('connection reset while reading the answer');
      }
      return answer;
    },
    refund: (request) => payments.refund(request),
  };

  installRuntimeLoggingTo('workflow-path-tests');
  const nativeConnection = await NativeConnection.connect({ address: config.temporal.address });
  const common = { connection: nativeConnection, namespace: TEST_NAMESPACE };
  const workers = await Promise.all([
    Worker.create({
      ...common,
      taskQueue: TASK_QUEUES.orders,
      workflowsPath: new URL('../index.ts', import.meta.url).pathname,
      activities: { ...createPublisherActivities({ producer, topic }), ...createPaymentActivities(provider) },
    }),
    ...STATIONS.map((station) => Worker.create({ ...common, ...stationWorkerOptions(station, stations) })),
  ]);
  const running = workers.map((worker) => worker.run());
  const connection = await Connection.connect({ address: config.temporal.address });
  const client = new Client({ connection, namespace: TEST_NAMESPACE });

  return {
    client,
    faults,
    dice,
    payments,
    lostChargeAnswers,
    async placeOrder(drinks, policy, customerId = 'path-tester') {
      const input: OrderWorkflowInput = { orderId: randomUUID(), customerId, drinks, policy: { ...QUICK_POLICY, ...policy } };
      return client.workflow.start(orderWorkflow, { taskQueue: TASK_QUEUES.orders, workflowId: orderWorkflowId(input.orderId), args: [input] });
    },
    eventsOf: (orderId) => publishedEventsOf(kafka, new Set([orderId]), topic),
    async recordHistory(handle, name) {
      if (process.env.RECORD_HISTORIES !== 'true') return;
      const history = await handle.fetchHistory();
      writeFileSync(path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'histories', `${name}.json`), historyToJSON(history));
    },
    async stop() {
      for (const worker of workers) worker.shutdown();
      await Promise.all(running);
      await nativeConnection.close();
      await connection.close();
      await producer.disconnect();
    },
  };
}
