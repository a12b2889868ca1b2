import { describe, expect, it } from 'vitest';
import { orderEventSchema } from './events';
import { fieldProblems, placeOrderSchema } from './order-input';

const drink = { tea: 'Black', sugar: 25, pearl: 'Aloe Vera' };
const problemsOf = (body: unknown) => {
  const parsed = placeOrderSchema.safeParse(body);
  return parsed.success ? [] : fieldProblems(parsed.error);
};

describe('placeOrderSchema', () => {
  it('accepts 1 to 20 drinks, with or without a topping', () => {
    expect(problemsOf({ customerId: 'alice', drinks: [drink] })).toEqual([]);
    expect(problemsOf({ customerId: 'alice', drinks: Array.from({ length: 20 }, () => ({ ...drink, topping: 'Matcha' })) })).toEqual([]);
  });

  it.each([
    [{ customerId: 'alice', drinks: [] }, 'drinks', 'an order holds at least 1 drink'],
    [{ customerId: 'alice', drinks: Array.from({ length: 21 }, () => drink) }, 'drinks', 'an order holds at most 20 drinks'],
    [{ customerId: 'alice', drinks: [{ ...drink, tea: 'Coffee' }] }, 'drinks[0].tea', 'Black'],
    [{ customerId: 'alice', drinks: [drink, { ...drink, sugar: 150 }] }, 'drinks[1].sugar', 'sugar must be one of 0, 25, 50, 75, 100 (percent)'],
    [{ customerId: 'alice', drinks: [{ ...drink, sugar: '50' }] }, 'drinks[0].sugar', 'sugar must be one of'],
    [{ customerId: 'alice', drinks: [{ ...drink, extra: 1 }] }, 'drinks[0].extra', 'is not a known field'],
    [{ customerId: 'alice', drinks: [drink], coupon: 'free' }, 'coupon', 'is not a known field'],
    [{ drinks: [drink] }, 'customerId', 'expected string'],
    [{ customerId: 'bob  smith', drinks: [drink] }, 'customerId', 'single spaces'],
    [{ customerId: ' bob', drinks: [drink] }, 'customerId', 'letters, digits'],
    [{ customerId: 'Robert; drop table', drinks: [drink] }, 'customerId', 'letters, digits'],
    [{ customerId: 'alice', drinks: 'tea' }, 'drinks', 'expected array'],
    [[], '(body)', 'expected object'],
  ])('rejects %j at %s', (body, field, message) => {
    const problems = problemsOf(body);
    expect(problems.map((problem) => problem.field)).toContain(field);
    expect(problems.find((problem) => problem.field === field)!.message).toContain(message);
  });
});

describe('orderEventSchema', () => {
  const event = {
    eventId: '6b7f1c1e-2a41-4f4e-9d43-2f1f0b6a9c10:2',
    orderId: '6b7f1c1e-2a41-4f4e-9d43-2f1f0b6a9c10',
    sequence: 2,
    type: 'CupLabelled',
    schemaVersion: 1,
    occurredAt: '2026-11-23T10:00:02.000Z',
    data: { estimate: { labelSeconds: 2, mixingSeconds: 9, toppingSeconds: 2 } },
  };

  it('accepts a well-formed event', () => {
    expect(orderEventSchema.safeParse(event).success).toBe(true);
  });

  it.each([
    ['an unknown type', { ...event, type: 'OrderTeleported' }],
    ['another schema version', { ...event, schemaVersion: 2 }],
    ['a sequence of 0', { ...event, sequence: 0 }],
    ['data of another type', { ...event, data: {} }],
    ['a missing envelope field', { ...event, occurredAt: undefined }],
  ])('rejects %s', (_, candidate) => {
    expect(orderEventSchema.safeParse(candidate).success).toBe(false);
  });
});
