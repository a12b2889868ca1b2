import { Worker } from '@temporalio/worker';
import { Partitioners } from 'kafkajs';
import type { Logger } from 'pino';
import { createPaymentActivities } from '../activities/payments';
import { createPublisherActivities } from '../activities/publisher';
import type { AppConfig } from '../config/app-config';
import { createKafka } from '../config/clients';
import { TASK_QUEUES } from '../contracts/names';
import { ensureOrderTopics, ORDER_TOPIC_NAMES, type OrderTopicNames } from '../projections/ensure-topics';
import type { RunningRole } from './running-role';
import { tracingWorkerOptions, WORKFLOW_TRACING_MODULE } from '../observability/temporal-tracing';
import { tracingEnabled } from '../observability/tracing';
import { takeTemporalConnection } from './temporal-connection';
import { bundleOrderWorkflows } from './workflow-bundle';

/**
 * Order workflows kept in memory between their tasks. The SDK sizes its default from the heap limit, so a
 * process run with a small heap would evict running orders and replay each from its history at every task.
 */
const CACHED_ORDER_WORKFLOWS = 1000;

/** The orchestrator role: runs order workflows, publishes their events to Kafka and runs their refunds. */
export async function startOrchestrator(config: AppConfig, logger: Logger, topics: OrderTopicNames = ORDER_TOPIC_NAMES): Promise<RunningRole> {
  const kafka = createKafka(config);
  await ensureOrderTopics(kafka, topics);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const temporal = await takeTemporalConnection(config);
  const worker = await Worker.create({
    connection: temporal.connection,
    namespace: config.temporal.namespace,
    taskQueue: TASK_QUEUES.orders,
    workflowBundle: { code: await bundleOrderWorkflows(tracingEnabled() ? [WORKFLOW_TRACING_MODULE] : []) },
    activities: { ...createPublisherActivities({ producer, topic: topics.orderEvents }), ...createPaymentActivities() },
    maxCachedWorkflows: CACHED_ORDER_WORKFLOWS,
    ...tracingWorkerOptions({ workflows: true }),
  });
  const running = worker.run();
  logger.info({ taskQueue: TASK_QUEUES.orders }, 'Orchestrator worker started');
  return {
    name: 'orchestrator',
    running,
    async stop() {
      logger.info('Shutting down the orchestrator worker...');
      worker.shutdown();
      await running;
      await temporal.release();
      logger.info('Disconnecting the event producer...');
      await producer.disconnect();
      logger.info('Orchestrator stopped');
    },
  };
}
