import type { KafkaMessage, Producer } from 'kafkajs';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { deadLetterMessage } from './dead-letter';
import { claimedSequence, lastAppliedSequence, orderIdOfKey, parkMessage } from './parking';
import type { ProjectorMetrics } from './projector-metrics';
import { withClient } from './with-client';

/* The projector's way out for a message it can never apply: the dead-letter topic, and parking its order when it needs it. */

export interface RefuserOptions {
  producer: Producer;
  pool: Pool;
  /** Null: dead-letter nothing (a rebuild reads messages the live projector has dead-lettered already); still parks. */
  deadLetterTopic: string | null;
  metrics: ProjectorMetrics;
  logger: Logger;
}

export type Refuse = (fromTopic: string, partition: number, message: KafkaMessage, reason: string, parking: 'park' | 'if-not-applied-yet') => Promise<void>;

/**
 * A message that can never be applied is dead-lettered with the reason. Its order is parked when it was an
 * event the order still needs: one PostgreSQL refused, or an unreadable one keyed by the order that claims a
 * sequence not applied yet (its successors would otherwise wait for it forever). Unreadable noise is not.
 */
export function refuser({ producer, pool, deadLetterTopic, metrics, logger }: RefuserOptions): Refuse {
  return async function refuse(fromTopic, partition, message, reason, parking) {
    const origin = { topic: fromTopic, partition, offset: message.offset };
    // Awaited, so the offset moves on only once the dead-letter topic has the message.
    if (deadLetterTopic !== null) await producer.send({ topic: deadLetterTopic, acks: -1, messages: [deadLetterMessage(message, origin, reason)] });
    const orderId = orderIdOfKey(message.key);
    const claimed = claimedSequence(message.value);
    const park =
      orderId !== undefined &&
      (parking === 'park' || (claimed !== undefined && claimed > (await withClient(pool, (client) => lastAppliedSequence(client, orderId)))));
    metrics.deadLettered.inc({ parked: String(park) });
    const done = deadLetterTopic === null ? 'message skipped (not dead-lettered again)' : 'message dead-lettered';
    if (!park) {
      logger.warn({ ...origin, reason }, done);
      return;
    }
    const parked = { orderId, position: { partition, offset: message.offset }, message: message.value?.toString('utf8') ?? '' };
    await withClient(pool, (client) => parkMessage(client, parked, reason));
    logger.error({ ...origin, orderId, reason, alert: 'order_parked' }, `${done} and its order parked; \`npm run projections -- unpark\` retries it once fixed`);
  };
}
