import { Client } from '@temporalio/client';
import { Partitioners } from 'kafkajs';
import type { Logger } from 'pino';
import { createPublisherActivities } from '../activities/publisher';
import type { AppConfig } from '../config/app-config';
import { createKafka, createPgPool } from '../config/clients';
import { ensureOrderTopics, ORDER_TOPIC_NAMES } from '../projections/ensure-topics';
import { createOrderReconciler } from './order-reconciliation';
import type { RunningRole } from './running-role';
import { takeTemporalConnection } from './temporal-connection';

/** How long after a workflow closed its order is ended: long enough for an event it was publishing to land. */
const SETTLE_MS = 5_000;

/**
 * The reconciler role: every RECONCILE_INTERVAL_SECONDS, ends the orders of order workflows that closed
 * without finishing them (see order-reconciliation.ts). Stateless and idempotent, so any number may run.
 */
export async function startReconciler(config: AppConfig, logger: Logger): Promise<RunningRole> {
  const temporal = await takeTemporalConnection(config);
  const client = new Client({ connection: temporal.connection, namespace: config.temporal.namespace });
  const pool = createPgPool(config.database.readerUrl, logger);
  const kafka = createKafka(config);
  await ensureOrderTopics(kafka, ORDER_TOPIC_NAMES);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const reconciler = createOrderReconciler({ client, pool, publish: createPublisherActivities({ producer }).publishEvent, logger, settleMs: SETTLE_MS });

  const intervalMs = config.app.reconcileIntervalSeconds * 1000;
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let pass = Promise.resolve();
  const next = () => {
    timer = setTimeout(() => {
      pass = reconciler
        .reconcile()
        .catch((error: unknown) => logger.warn({ err: error }, 'reconcile pass failed; trying again on the next one'))
        .then(() => (stopping ? undefined : next()));
    }, intervalMs);
  };
  next();
  logger.info({ intervalSeconds: config.app.reconcileIntervalSeconds }, 'Reconciler started');

  let closed: () => void;
  return {
    name: 'reconciler',
    running: new Promise<void>((resolve) => (closed = resolve)),
    async stop() {
      logger.info('Stopping the reconciler...');
      stopping = true;
      clearTimeout(timer);
      await pass;
      await producer.disconnect();
      await pool.end();
      await temporal.release();
      logger.info('Reconciler stopped');
      closed();
    },
  };
}
