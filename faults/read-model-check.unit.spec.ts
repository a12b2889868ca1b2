import { describe, expect, it } from 'vitest';
import type { OrderEvent } from '../contracts/events';
import type { OrderState } from '../contracts/order-state';
import { orderHistory } from '../projections/testing/order-event-fixtures';
import { checkReadModel, foldHistory, type ReadModelCheckInput } from './read-model-check';

const ready = orderHistory(0);
const alsoReady = orderHistory(1);
const orderId = ready[0]!.orderId;

const stored = (events: OrderEvent[]) => events.map((event) => ({ orderId: event.orderId, sequence: event.sequence, rows: 1 }));
const rowsOf = (...histories: OrderEvent[][]) => new Map(histories.map((history) => [history[0]!.orderId, foldHistory(history)!]));

function check(overrides: Partial<ReadModelCheckInput>) {
  return checkReadModel({
    acceptedOrderIds: [orderId, alsoReady[0]!.orderId],
    topicEvents: [...ready, ...alsoReady],
    rows: rowsOf(ready, alsoReady),
    appliedEventRows: stored([...ready, ...alsoReady]),
    ...overrides,
  });
}

describe('the fault suite invariants (read model against the order events topic)', () => {
  it('given a read model that is the fold of the topic, finds nothing wrong', () => {
    expect(check({})).toEqual({ lost: [], doubleApplied: [], mismatches: [], ordersChecked: 2 });
  });

  it('counts an event published twice (a retried publish) once', () => {
    expect(check({ topicEvents: [...ready, ready[2]!, ...alsoReady] }).mismatches).toEqual([]);
  });

  it('reports an accepted order that is not ready or refunded as lost, with where it stopped', () => {
    const stuck = ready.slice(0, 2);
    const result = check({ topicEvents: [...stuck, ...alsoReady], rows: rowsOf(stuck, alsoReady), appliedEventRows: stored([...stuck, ...alsoReady]) });
    expect(result.lost).toEqual([{ orderId, problem: 'still labelled (sequence 2)' }]);
    expect(result.mismatches).toEqual([]);
  });

  it('reports an accepted order with no trace anywhere as lost', () => {
    const result = check({ topicEvents: alsoReady, rows: rowsOf(alsoReady), appliedEventRows: stored(alsoReady) });
    expect(result.lost).toEqual([{ orderId, problem: 'no trace: not in the topic nor in the read model' }]);
  });

  it('reports a read model behind the topic as a mismatch', () => {
    const result = check({ rows: rowsOf(ready.slice(0, 3), alsoReady), appliedEventRows: stored([...ready.slice(0, 3), ...alsoReady]) });
    expect(result.mismatches).toEqual([{ orderId, problem: 'last applied sequence 3, but the topic has 4 distinct events' }]);
  });

  it('reports a row that differs from the fold, naming the fields', () => {
    const folded = foldHistory(ready)!;
    const twiceDelayed: OrderState = { ...folded, slaBreached: true, delays: [{ stage: 'mix', slaSeconds: 3, at: folded.mixedAt! }] };
    const rows = new Map([...rowsOf(alsoReady), [orderId, twiceDelayed]]);
    expect(check({ rows }).mismatches).toEqual([{ orderId, problem: 'read model differs from the fold of the topic in slaBreached, delays' }]);
  });

  it('reports an event stored twice in order_events as double-applied', () => {
    const appliedEventRows = stored([...ready, ...alsoReady]).map((row) => (row.orderId === orderId && row.sequence === 3 ? { ...row, rows: 2 } : row));
    expect(check({ appliedEventRows }).doubleApplied).toEqual([{ orderId, problem: 'sequence 3 stored 2 times in order_events' }]);
  });

  it('reports two different events with one sequence, and a gap in the topic', () => {
    const conflicting = { ...ready[2]!, occurredAt: '2030-01-01T00:00:00.000Z' };
    expect(check({ topicEvents: [...ready, conflicting, ...alsoReady] }).mismatches).toEqual([{ orderId, problem: 'two different events with sequence 3 in the topic' }]);
    expect(check({ topicEvents: [ready[0]!, ready[1]!, ready[3]!, ...alsoReady] }).mismatches).toEqual([
      { orderId, problem: 'the topic has sequence 4 where 3 was expected' },
    ]);
  });

  it('reports an order of the run that is in the topic but not in the read model, even if its 202 was lost', () => {
    const result = check({ acceptedOrderIds: [alsoReady[0]!.orderId], rows: rowsOf(alsoReady), appliedEventRows: stored(alsoReady) });
    expect(result.lost).toEqual([]);
    expect(result.mismatches).toEqual([{ orderId, problem: 'in the topic (4 events) but not in the read model' }]);
  });
});
