import type { Client } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { TEST_AUTH, TEST_OPERATOR } from '../api/testing/sessions';
import { startTestApi } from '../api/testing/test-api';
import { createLogger, temporalLogFields } from '../roles/logger';

function capturedLogger() {
  const lines: string[] = [];
  const logger = createLogger('logs-test', { write: (line: string) => void lines.push(line) });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- log lines are free-form JSON
  return { logger, logs: () => lines.map((line) => JSON.parse(line) as Record<string, any>) };
}

describe('log lines', () => {
  it('redact secrets wherever a log object carries them', () => {
    const { logger, logs } = capturedLogger();
    logger.info({ req: { headers: { authorization: 'Bearer s3cret', cookie: 'session=1', accept: 'text/html' } } }, 'request');
    logger.info({ sasl: { mechanism: 'plain', username: 'shop', password: 'kafka-pass' }, token: 't0k3n', connection: { apiKey: 'tc-key' } }, 'settings');
    const text = JSON.stringify(logs());
    for (const secret of ['s3cret', 'session=1', 'kafka-pass', 't0k3n', 'tc-key']) expect(text).not.toContain(secret);
    expect(logs()[0]!.req.headers).toEqual({ authorization: '[redacted]', cookie: '[redacted]', accept: 'text/html' });
    expect(logs()[1]!.sasl).toEqual({ mechanism: 'plain', username: 'shop', password: '[redacted]' });
  });

  it('of the Temporal SDK carry the order id of their workflow', () => {
    const orderId = '3f0c8a52-5a4b-4a59-9d63-0d1b1b0e7f10';
    expect(temporalLogFields({ workflowId: `order-${orderId}`, activityType: 'mixTea' })).toEqual({ orderId, workflowId: `order-${orderId}`, activityType: 'mixTea' });
    expect(temporalLogFields({ workflowId: 'bare-1' })).toEqual({ workflowId: 'bare-1' });
    expect(temporalLogFields(undefined)).toEqual({});
  });

  it('of API requests carry the order id and never the Authorization header, a cookie or a token in the query', async () => {
    const { logger, logs } = capturedLogger();
    const api = await startTestApi({ temporalClient: {} as Client, logger });
    try {
      const orderId = '3f0c8a52-5a4b-4a59-9d63-0d1b1b0e7f10';
      await fetch(`${api.baseUrl}/orders/${orderId}`, { headers: { authorization: 'Bearer admin-s3cret', cookie: 'session=cookie-s3cret' } });
      await fetch(`${api.baseUrl}/menu?access_token=query-s3cret&status=ready`);
      const line = logs().find((entry) => entry.req?.url === `/orders/${orderId}`);
      expect(line).toMatchObject({ orderId });
      expect(line!.req.headers.authorization).toBe('[redacted]');
      expect(line!.req.headers.cookie).toBe('[redacted]');
      expect(logs().find((entry) => entry.req?.url?.startsWith('/menu'))!.req.url).toBe('/menu?access_token=[redacted]&status=ready');
      for (const secret of ['admin-s3cret', 'cookie-s3cret', 'query-s3cret']) expect(JSON.stringify(logs())).not.toContain(secret);
    } finally {
      await api.close();
    }
  });

  it('of a run with an admin token, an operator sign-in and a session cookie hold none of them', async () => {
    const { logger, logs } = capturedLogger();
    const adminToken = 'admin-token-that-must-not-be-logged';
    const api = await startTestApi({ temporalClient: {} as Client, logger, auth: { ...TEST_AUTH, adminToken } });
    try {
      const signIn = await fetch(`${api.baseUrl}/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"customerId":"alice"}' });
      const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
      const { token } = (await signIn.json()) as { token: string };
      await fetch(`${api.baseUrl}/orders?limit=1`, { headers: { cookie } });
      await fetch(`${api.baseUrl}/orders/stream?token=${token}`, { headers: { cookie }, signal: AbortSignal.timeout(500) }).catch(() => undefined);
      await fetch(`${api.baseUrl}/sessions/operator`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(TEST_OPERATOR) });
      await fetch(`${api.baseUrl}/admin/faults/mix`, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` }, body: '{}' });
      const text = JSON.stringify(logs());
      expect(logs().filter((entry) => entry.req).length).toBeGreaterThanOrEqual(4);
      for (const secret of [adminToken, token, cookie, TEST_OPERATOR.password]) expect(text).not.toContain(secret);
      expect(logs().find((entry) => entry.msg === 'station faults changed')).toMatchObject({ audit: true, actor: 'operator:admin-token' });
    } finally {
      await api.close();
    }
  });
});
