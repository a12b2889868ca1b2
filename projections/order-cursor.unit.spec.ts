import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './order-cursor';
import { UnknownCursorError } from './order-reader';

describe('order cursor', () => {
  const cursor = { placedAt: '2025-01-01T09:00:00.123456Z', orderId: '6f1c2b0e-8d7a-4c1e-9f5b-2a3d4e5f6a7b' };

  it('round-trips through an opaque, URL-safe string', () => {
    const text = encodeCursor(cursor);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(text)).toEqual(cursor);
  });

  it.each([
    ['not base64 JSON', '%%%'],
    ['JSON of the wrong shape', Buffer.from('{"placedAt":"x"}').toString('base64url')],
    ['a bad timestamp', Buffer.from(JSON.stringify(['yesterday', cursor.orderId])).toString('base64url')],
    ['a bad order id', Buffer.from(JSON.stringify([cursor.placedAt, 'order-1'])).toString('base64url')],
    ['an empty string', ''],
  ])('rejects %s', (_, text) => {
    expect(() => decodeCursor(text)).toThrow(UnknownCursorError);
  });
});
