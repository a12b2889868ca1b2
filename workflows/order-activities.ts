import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Duration, RetryPolicy } from '@temporalio/common';
import { PAYMENT_DECLINED } from '../activities/payment-provider';
import type { PaymentActivities } from '../activities/payments';
import type { PublisherActivities } from '../activities/publisher';
import type { StationActivities } from '../activities/stations';
import { TASK_QUEUES } from '../contracts/names';

/** The activities an order workflow runs, with their timeouts and retries. */

/**
 * Stations heartbeat while they work (activities/stations.ts): a worker that stops heartbeating for this long
 * is taken for dead and its activity is retried on another worker, long before its start-to-close timeout.
 */
const STATION_HEARTBEAT_TIMEOUT = '5 seconds';

/** Transient station faults are retried with backoff, per station; an ingredient out of stock is not retried. */
function stationRetry(maximumAttempts: number, maximumInterval: Duration): RetryPolicy {
  return { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval, maximumAttempts, nonRetryableErrorTypes: ['OutOfStock'] };
}

export const label = proxyActivities<Pick<StationActivities, 'printLabels'>>({
  taskQueue: TASK_QUEUES.label,
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: STATION_HEARTBEAT_TIMEOUT,
  retry: stationRetry(5, '5 seconds'),
});
export const mix = proxyActivities<Pick<StationActivities, 'mixTea'>>({
  taskQueue: TASK_QUEUES.mix,
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: STATION_HEARTBEAT_TIMEOUT,
  retry: stationRetry(10, '20 seconds'),
});
export const top = proxyActivities<Pick<StationActivities, 'sealTop'>>({
  taskQueue: TASK_QUEUES.top,
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: STATION_HEARTBEAT_TIMEOUT,
  retry: stationRetry(5, '5 seconds'),
});

const publishRetry: RetryPolicy = { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds' };
/** Orders started before events were published by local activities still replay with this one. */
export const publisher = proxyActivities<PublisherActivities>({ startToCloseTimeout: '30 seconds', retry: publishRetry });
/**
 * Publishing runs on the orchestrator inside the workflow task: no round trip through the server per event.
 * Still at least once (a crash before the task completes publishes the same event again) and in sequence
 * (each publish is awaited before the next event is numbered); retried until Kafka takes it.
 */
export const localPublisher = proxyLocalActivities<PublisherActivities>({ startToCloseTimeout: '30 seconds', retry: publishRetry });

/** A declined payment is not retried; anything else (the provider unreachable) is, with the same idempotency key. */
export const payments = proxyActivities<PaymentActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', nonRetryableErrorTypes: [PAYMENT_DECLINED] },
});
