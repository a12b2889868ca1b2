import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './testing/test-api';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi({ temporalClient: {} as Client });
});

afterAll(async () => {
  await api.close();
});

describe('security headers', () => {
  it.each(['/docs', '/docs/', '/openapi.json', '/menu', '/health', '/orders/not-an-id', '/no-such-page'])('are on the answer to GET %s', async (path) => {
    const response = await fetch(`${api.baseUrl}${path}`);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('leave the pages their own stricter policy', async () => {
    const response = await fetch(`${api.baseUrl}/`);
    expect(response.headers.get('content-security-policy')).toContain("style-src 'self';");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
