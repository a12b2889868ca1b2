import type { ClientBase } from 'pg';
import type { OrderEvent } from '../../contracts/events';
import { applyEvents } from '../apply-event';
import type { ApplyOutcome, KafkaPosition } from '../event-batch';

/** One event, in a transaction of its own. */
export async function applyEvent(client: ClientBase, event: OrderEvent, position: KafkaPosition): Promise<ApplyOutcome> {
  const [outcome] = await applyEvents(client, [{ event, position }]);
  return outcome!;
}
