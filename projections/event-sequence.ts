import type { OrderEvent } from '../contracts/events';

/* The order in which one order's events may be applied: 1, 2, 3, ... with nothing skipped and nothing twice. */

export type SequenceCheck = 'next' | 'duplicate' | 'gap';

/** `lastApplied` is undefined while the order has no row yet. */
export function checkSequence(lastApplied: number | undefined, sequence: number): SequenceCheck {
  const expected = (lastApplied ?? 0) + 1;
  if (sequence < expected) return 'duplicate';
  return sequence === expected ? 'next' : 'gap';
}

/** OrderPlaced opens an order at 1 and every later event follows it: an event breaking this could never be applied. */
export function sequenceRuleBroken(event: OrderEvent): string | undefined {
  if (event.type === 'OrderPlaced' && event.sequence !== 1) return `OrderPlaced must have sequence 1, got ${event.sequence}`;
  if (event.type !== 'OrderPlaced' && event.sequence === 1) return `${event.type} cannot have sequence 1, which is OrderPlaced's`;
  return undefined;
}
