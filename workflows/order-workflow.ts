import { proxyActivities, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { PublisherActivities } from '../activities/publisher';
import type { StationActivities } from '../activities/stations';
import { SCHEMA_VERSION, type OrderEvent, type OrderEventOf, type OrderEventType } from '../contracts/events';
import { eventIdOf } from '../contracts/ids';
import { TASK_QUEUES } from '../contracts/names';
import { evolve, type OrderState } from '../contracts/order-state';
import { SEARCH_ATTRIBUTES } from '../contracts/search-attributes';
import { getOrderQuery, type OrderWorkflowInput } from './order-definitions';

const stationRetry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' } as const;

const label = proxyActivities<Pick<StationActivities, 'printLabels'>>({
  taskQueue: TASK_QUEUES.label,
  startToCloseTimeout: '2 minutes',
  retry: stationRetry,
});
const mix = proxyActivities<Pick<StationActivities, 'mixTea'>>({
  taskQueue: TASK_QUEUES.mix,
  startToCloseTimeout: '5 minutes',
  retry: stationRetry,
});
const top = proxyActivities<Pick<StationActivities, 'sealTop'>>({
  taskQueue: TASK_QUEUES.top,
  startToCloseTimeout: '2 minutes',
  retry: stationRetry,
});
const publisher = proxyActivities<PublisherActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds' },
});

/**
 * One order, label → mix → top. The workflow is the order's single writer: after each step it publishes
 * the step's event with the next sequence number and folds it into the state its query returns.
 */
export async function orderWorkflow(input: OrderWorkflowInput): Promise<OrderState> {
  let state: OrderState | undefined;
  let sequence = 0;
  setHandler(getOrderQuery, () => state ?? null);

  async function publish<Type extends OrderEventType>(type: Type, data: OrderEventOf<Type>['data']): Promise<void> {
    sequence += 1;
    const event = {
      eventId: eventIdOf(input.orderId, sequence),
      orderId: input.orderId,
      sequence,
      type,
      schemaVersion: SCHEMA_VERSION,
      occurredAt: new Date().toISOString(),
      data,
    } as OrderEvent;
    await publisher.publishEvent(event);
    state = evolve(state, event);
    upsertSearchAttributes([{ key: SEARCH_ATTRIBUTES.OrderStatus, value: state.status }]);
  }

  upsertSearchAttributes([
    { key: SEARCH_ATTRIBUTES.CustomerId, value: input.customerId },
    { key: SEARCH_ATTRIBUTES.DrinkCount, value: input.drinks.length },
  ]);
  await publish('OrderPlaced', { customerId: input.customerId, drinks: input.drinks });

  const estimate = await label.printLabels({ orderId: input.orderId, drinks: input.drinks });
  await publish('CupLabelled', { estimate });

  await mix.mixTea({ orderId: input.orderId, mixingSeconds: estimate.mixingSeconds });
  await publish('TeaMixed', {});

  await top.sealTop({ orderId: input.orderId, toppingSeconds: estimate.toppingSeconds });
  await publish('OrderTopped', {});

  if (!state) throw new Error(`order ${workflowInfo().workflowId} finished without state`);
  return state;
}
