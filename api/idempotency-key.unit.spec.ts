import { describe, expect, it } from 'vitest';
import { isOrderId } from '../contracts/ids';
import { idempotencyKeySchema, orderIdForIdempotencyKey, uuidV5 } from './idempotency-key';

describe('orderIdForIdempotencyKey', () => {
  it('maps a key to the same version-5 UUID every time, and different keys to different ones', () => {
    const first = orderIdForIdempotencyKey('checkout-42');
    expect(orderIdForIdempotencyKey('checkout-42')).toBe(first);
    expect(orderIdForIdempotencyKey('checkout-43')).not.toBe(first);
    expect(isOrderId(first)).toBe(true);
    expect(first[14]).toBe('5');
    expect(['8', '9', 'a', 'b']).toContain(first[19]);
  });

  it('computes name-based UUIDs as RFC 9562 does', () => {
    // RFC 9562 appendix A.4: "www.example.com" in the DNS namespace.
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });
});

describe('idempotencyKeySchema', () => {
  it.each([['a'], ['x'.repeat(200)], ['550e8400-e29b-41d4-a716-446655440000'], ['order #1 / try 2']])('accepts %j', (key) => {
    expect(idempotencyKeySchema.safeParse(key).success).toBe(true);
  });

  it.each([[''], ['x'.repeat(201)], ['tab\there'], ['naïve'], ['line\nbreak'], ['nul\u0000']])('rejects %j', (key) => {
    expect(idempotencyKeySchema.safeParse(key).success).toBe(false);
  });
});
