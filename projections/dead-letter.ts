import type { IHeaders, KafkaMessage, Message } from 'kafkajs';

/* A message the projector can never apply, re-published as it was received plus headers saying why and from where. */

export const DEAD_LETTER_HEADERS = {
  reason: 'dead-letter-reason',
  originalTopic: 'dead-letter-original-topic',
  originalPartition: 'dead-letter-original-partition',
  originalOffset: 'dead-letter-original-offset',
} as const;

export interface MessageOrigin {
  topic: string;
  partition: number;
  offset: string;
}

export function deadLetterMessage(message: KafkaMessage, origin: MessageOrigin, reason: string): Message {
  const headers: IHeaders = {
    ...message.headers,
    [DEAD_LETTER_HEADERS.reason]: reason,
    [DEAD_LETTER_HEADERS.originalTopic]: origin.topic,
    [DEAD_LETTER_HEADERS.originalPartition]: String(origin.partition),
    [DEAD_LETTER_HEADERS.originalOffset]: origin.offset,
  };
  return { key: message.key, value: message.value, headers };
}
