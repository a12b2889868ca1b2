import type { Client } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
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
});
