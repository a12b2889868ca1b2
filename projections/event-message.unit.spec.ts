import { describe, expect, it } from 'vitest';
import type { OrderEventOf } from '../contracts/events';
import { readOrderEvent } from './event-message';
import { checkSequence } from '../contracts/event-sequence';
import { orderHistory } from './testing/order-event-fixtures';

const [placed, labelled] = orderHistory(0);
const bytes = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

describe('readOrderEvent', () => {
  it('reads a valid event', () => {
    expect(readOrderEvent(bytes(placed))).toEqual({ event: placed });
  });

  it('reads an older version as the current one, and keeps it as the log holds it', () => {
    const current = placed as OrderEventOf<'OrderPlaced'>;
    const v1 = { ...current, schemaVersion: 1, data: { ...current.data, drinks: current.data.drinks.map(({ priceCents: _price, ...drink }) => drink) } };
    expect(readOrderEvent(bytes(v1))).toEqual({ event: placed, asLogged: v1 });
  });

  it.each([
    ['an empty value', null, /^message has no value$/],
    ['broken JSON', bytes('{"type": '), /^not valid JSON: /],
    ['an unknown type', bytes({ ...labelled, type: 'OrderTeleported' }), /^not a valid order event: type: /],
    ['invalid data', bytes({ ...labelled, data: { estimate: { labelSeconds: -1, mixingSeconds: 1, toppingSeconds: 1 } } }), /data\.estimate\.labelSeconds: /],
    ['an unexpected field', bytes({ ...placed, extra: true }), /^not a valid order event: /],
    ['an eventId not derived from order and sequence', bytes({ ...labelled, eventId: 'evt-1' }), /^eventId 'evt-1' should be '.+:2'/],
    ['OrderPlaced after sequence 1', bytes({ ...placed, sequence: 3, eventId: `${placed!.orderId}:3` }), /^OrderPlaced must have sequence 1/],
    ['a later event at sequence 1', bytes({ ...labelled, sequence: 1, eventId: `${placed!.orderId}:1` }), /^CupLabelled cannot have sequence 1/],
  ])('says why it cannot use %s', (_, value, reason) => {
    const read = readOrderEvent(value);
    expect(read.event).toBeUndefined();
    expect(read.problem).toMatch(reason);
  });
});

describe('checkSequence', () => {
  it.each([
    [undefined, 1, 'next'],
    [undefined, 3, 'gap'],
    [2, 3, 'next'],
    [2, 2, 'duplicate'],
    [2, 1, 'duplicate'],
    [2, 4, 'gap'],
  ] as const)('after %s, sequence %i is %s', (lastApplied, sequence, expected) => {
    expect(checkSequence(lastApplied, sequence)).toBe(expected);
  });
});
