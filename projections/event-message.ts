import type { z } from 'zod';
import type { OrderEvent } from '../contracts/events';
import { eventIdOf } from '../contracts/ids';
import { parseOrderEvent } from '../contracts/upcasters';
import { sequenceRuleBroken } from './event-sequence';

/*
 * Turns a Kafka message's value into an order event of the current version (an older one is upcast), or says
 * in one line why it can never be one. `asLogged` is the event as the log holds it, when that is an older version.
 */

export type ReadEvent = { event: OrderEvent; asLogged?: unknown; problem?: never } | { event?: never; asLogged?: never; problem: string };

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.map(String).join('.') || '(event)'}: ${issue.message}`).join('; ');
}

export function readOrderEvent(value: Buffer | null): ReadEvent {
  if (value === null) return { problem: 'message has no value' };
  let json: unknown;
  try {
    json = JSON.parse(value.toString('utf8'));
  } catch (error) {
    return { problem: `not valid JSON: ${(error as Error).message}` };
  }
  const parsed = parseOrderEvent(json);
  if (!parsed.success) return { problem: `not a valid order event: ${describeIssues(parsed.error)}` };
  const event = parsed.data;
  const expectedEventId = eventIdOf(event.orderId, event.sequence);
  if (event.eventId !== expectedEventId) {
    return { problem: `eventId '${event.eventId}' should be '${expectedEventId}', derived from orderId and sequence` };
  }
  const broken = sequenceRuleBroken(event);
  if (broken) return { problem: broken };
  return event.schemaVersion === (json as { schemaVersion?: unknown }).schemaVersion ? { event } : { event, asLogged: json };
}
