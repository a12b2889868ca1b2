import { describe, expect, it } from 'vitest';
import { redactUrl } from './redact-url';

describe('redactUrl', () => {
  it.each([
    ['/orders?token=s3cret', '/orders?token=[redacted]'],
    ['/orders/stream?access_token=abc&status=ready', '/orders/stream?access_token=[redacted]&status=ready'],
    ['/x?api_key=1&API-KEY=2&session=3&password=4&limit=5', '/x?api_key=[redacted]&API-KEY=[redacted]&session=[redacted]&password=[redacted]&limit=5'],
    ['/x?%74oken=s3cret', '/x?%74oken=[redacted]'],
    ['/orders', '/orders'],
    ['/orders?status=ready&after=abc', '/orders?status=ready&after=abc'],
  ])('%s → %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });
});
