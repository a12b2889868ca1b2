import type { Pool } from 'pg';
import { applyEventsInTransaction } from './apply-event';
import { readOrderEvent } from './event-message';
import { permanentRefusal, takeParkedMessages } from './parking';

export type UnparkOutcome = { applied: number } | { stillParked: string };

/**
 * Applies a parked order's events in one transaction, once what refused them is fixed (a migration, a new
 * version of the projector). If any is still refused, nothing changes and the order stays parked.
 */
export async function unparkOrder(pool: Pool, orderId: string): Promise<UnparkOutcome> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const messages = await takeParkedMessages(client, orderId);
    if (messages.length === 0) {
      await client.query('rollback');
      return { stillParked: `order ${orderId} is not parked` };
    }
    const events = [];
    for (const parked of messages) {
      const read = readOrderEvent(Buffer.from(parked.message, 'utf8'));
      if (read.problem !== undefined) {
        await client.query('rollback');
        return { stillParked: `offset ${parked.position.offset}: ${read.problem}` };
      }
      events.push({ event: read.event, asLogged: read.asLogged, position: parked.position });
    }
    let outcomes;
    try {
      outcomes = await applyEventsInTransaction(client, events.sort((a, b) => a.event.sequence - b.event.sequence));
    } catch (error) {
      const refusal = permanentRefusal(error);
      if (refusal === undefined) throw error;
      await client.query('rollback');
      return { stillParked: `still refused: ${refusal}` };
    }
    if (outcomes === undefined || outcomes.includes('gap')) {
      await client.query('rollback');
      return { stillParked: outcomes === undefined ? 'the order changed meanwhile; try again' : 'an earlier event of the order is still missing' };
    }
    await client.query('commit');
    return { applied: outcomes.filter((outcome) => outcome === 'applied').length };
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
