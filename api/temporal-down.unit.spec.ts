import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './testing/test-api';
import { operatorFetch } from './testing/sessions';

// Requests come from the test operator, who may reach every order (api/auth.unit.spec.ts tests whom the API lets in).
const fetch = operatorFetch;

/** With Temporal unreachable (a port nothing listens on), orders are refused with a retryable 503, not a 500. */

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi({ temporalClient: new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) }) });
});

afterAll(async () => {
  await api?.close();
});

describe('when Temporal does not answer', () => {
  it('POST /orders and the workflow fallback of GET /orders/:id answer 503 within the deadline', { timeout: 60_000 }, async () => {
    const [placed, read] = await Promise.all([
      fetch(`${api.baseUrl}/orders`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ customerId: 'api-test', drinks: [{ tea: 'Black', sugar: 0, pearl: 'None' }] }),
      }),
      fetch(`${api.baseUrl}/orders/0b8f3c52-5d8e-4f0a-9a57-1d2c3b4a5e6f`),
    ]);
    for (const response of [placed, read]) {
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ message: 'The order service is temporarily unavailable; please retry shortly' });
    }
  });
});
