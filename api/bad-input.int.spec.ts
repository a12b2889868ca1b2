import { randomUUID } from 'node:crypto';
import { Client, type Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/app-config';
import { TEST_NAMESPACES } from '../stack/testing/test-namespaces';
import { connectTemporal } from '../config/clients';
import type { ApiErrorBody } from './api-error';
import { startTestApi, type TestApi } from './testing/test-api';
import { operatorFetch } from './testing/sessions';

// Requests come from the test operator, who may reach every order (api/auth.unit.spec.ts tests whom the API lets in).
const fetch = operatorFetch;

/**
 * Every kind of bad input is a 4xx with a message that says what is wrong, never a 500. Runs against the
 * real Temporal server, so the cases that reach it (an unknown order id) are answered as in production.
 */

// A namespace of the API tests' own: the shop's workers (other tests run them) never take these orders.
const config = loadConfig({ ...process.env, TEMPORAL_NAMESPACE: TEST_NAMESPACES.api });
let connection: Connection;
let api: TestApi;

const DRINK = { tea: 'Black', sugar: 50, pearl: 'Black Pearl' };
const order = (changes: Record<string, unknown> = {}) => ({ customerId: 'api-test', drinks: [DRINK], ...changes });
const withDrink = (changes: Record<string, unknown>) => order({ drinks: [{ ...DRINK, ...changes }] });
const withoutCustomer = () => ({ drinks: [DRINK] });

interface BadRequest {
  name: string;
  method?: 'GET' | 'POST';
  path?: string;
  contentType?: string;
  headers?: Record<string, string>;
  /** Sent as JSON unless it is already a string. */
  body?: unknown;
  status: number;
  message: string;
  /** For invalid orders: the field named in `errors` and a part of its message. */
  field?: [string, string];
}

const unknownOrderId = randomUUID();
const cancelPath = `/orders/${unknownOrderId}/cancel`;

const CASES: BadRequest[] = [
  { name: 'an unknown tea', body: withDrink({ tea: 'Milk Tea' }), status: 400, message: 'Invalid order', field: ['drinks[0].tea', 'expected one of'] },
  { name: 'sugar 30', body: withDrink({ sugar: 30 }), status: 400, message: 'Invalid order', field: ['drinks[0].sugar', 'sugar must be one of 0, 25, 50, 75, 100'] },
  { name: 'sugar 150', body: withDrink({ sugar: 150 }), status: 400, message: 'Invalid order', field: ['drinks[0].sugar', 'sugar must be one of 0, 25, 50, 75, 100'] },
  { name: 'sugar as the string "50"', body: withDrink({ sugar: '50' }), status: 400, message: 'Invalid order', field: ['drinks[0].sugar', 'sugar must be one of'] },
  { name: 'an unknown topping', body: withDrink({ topping: 'Cheese Foam' }), status: 400, message: 'Invalid order', field: ['drinks[0].topping', 'expected one of'] },
  { name: '0 drinks', body: order({ drinks: [] }), status: 400, message: 'Invalid order', field: ['drinks', 'at least 1 drink'] },
  { name: '21 drinks', body: order({ drinks: Array.from({ length: 21 }, () => DRINK) }), status: 400, message: 'Invalid order', field: ['drinks', 'at most 20 drinks'] },
  { name: 'drinks as a string', body: order({ drinks: 'Black, 50%' }), status: 400, message: 'Invalid order', field: ['drinks', 'expected array'] },
  { name: 'a missing customerId', body: withoutCustomer(), status: 400, message: 'Invalid order', field: ['customerId', 'expected string'] },
  { name: 'a customerId with spaces', body: order({ customerId: 'Robert; drop table' }), status: 400, message: 'Invalid order', field: ['customerId', 'letters, digits'] },
  { name: 'a customerId with U+0000', body: order({ customerId: 'a\u0000b' }), status: 400, message: 'Invalid order', field: ['customerId', 'must not contain U+0000'] },
  { name: 'an extra field at the top', body: order({ discount: 100 }), status: 400, message: 'Invalid order', field: ['discount', 'is not a known field'] },
  { name: 'an extra field in a drink', body: withDrink({ ice: 'extra' }), status: 400, message: 'Invalid order', field: ['drinks[0].ice', 'is not a known field'] },
  { name: 'a JSON array instead of an order', body: '[]', status: 400, message: 'Invalid order', field: ['(body)', 'expected object'] },
  { name: 'an empty body', body: '', status: 400, message: 'Invalid order', field: ['customerId', 'expected string'] },
  { name: 'a 1 MB body', body: order({ customerId: 'x'.repeat(1024 * 1024) }), status: 413, message: 'Request body too large: at most 64kb' },
  { name: 'broken JSON', body: '{"customerId": "api-test", "drinks": [', status: 400, message: 'Request body is not valid JSON' },
  { name: 'a JSON string instead of an object', body: '"one black tea"', status: 400, message: 'Request body is not valid JSON' },
  { name: 'text/plain content', contentType: 'text/plain', body: JSON.stringify(order()), status: 415, message: 'Content-Type must be application/json' },
  { name: 'a form', contentType: 'application/x-www-form-urlencoded', body: 'customerId=api-test', status: 415, message: 'Content-Type must be application/json' },
  { name: 'an unsupported charset', contentType: 'application/json; charset=klingon', body: JSON.stringify(order()), status: 415, message: 'unsupported charset "KLINGON"' },
  { name: 'an empty Idempotency-Key', headers: { 'Idempotency-Key': '' }, body: order(), status: 400, message: 'Invalid Idempotency-Key header', field: ['Idempotency-Key', 'printable'] },
  { name: 'a 201-character Idempotency-Key', headers: { 'Idempotency-Key': 'k'.repeat(201) }, body: order(), status: 400, message: 'Invalid Idempotency-Key header', field: ['Idempotency-Key', '1 to 200'] },
  { name: 'an unknown order id', method: 'GET', path: `/orders/${unknownOrderId}`, status: 404, message: `Order ${unknownOrderId} not found` },
  { name: 'an order id that is no UUID', method: 'GET', path: '/orders/latest', status: 404, message: 'Order latest not found' },
  { name: 'an unknown list filter', method: 'GET', path: '/orders?sort=newest', status: 400, message: 'Invalid query', field: ['sort', 'is not a known field'] },
  { name: 'an unknown status filter', method: 'GET', path: '/orders?status=cold', status: 400, message: 'Invalid query', field: ['status', 'expected one of'] },
  { name: 'a customer filter with U+0000', method: 'GET', path: '/orders?customer=a%00b', status: 400, message: 'Invalid query', field: ['customer', 'must not contain U+0000'] },
  { name: 'an order id with U+0000', method: 'GET', path: '/orders/a%00b', status: 400, message: 'Invalid path', field: ['id', 'must not contain U+0000'] },
  { name: 'a percent-encoding that decodes to nothing', method: 'GET', path: '/orders/%E0%A4%A', status: 400, message: 'The URL has a malformed percent-encoding' },
  { name: 'cancelling an unknown order', path: cancelPath, status: 404, message: `Order ${unknownOrderId} not found` },
  { name: 'cancelling an unknown order with a reason', path: cancelPath, body: { reason: 'too slow' }, status: 404, message: `Order ${unknownOrderId} not found` },
  { name: 'cancelling an order id that is no UUID', path: '/orders/latest/cancel', status: 404, message: 'Order latest not found' },
  { name: 'a cancellation reason of 201 characters', path: cancelPath, body: { reason: 'x'.repeat(201) }, status: 400, message: 'Invalid cancellation', field: ['reason', '1 to 200 characters'] },
  { name: 'an empty cancellation reason', path: cancelPath, body: { reason: '' }, status: 400, message: 'Invalid cancellation', field: ['reason', '1 to 200 characters'] },
  { name: 'a blank cancellation reason', path: cancelPath, body: { reason: '   ' }, status: 400, message: 'Invalid cancellation', field: ['reason', '1 to 200 characters'] },
  { name: 'a cancellation reason with U+0000', path: cancelPath, body: { reason: 'a\u0000b' }, status: 400, message: 'Invalid cancellation', field: ['reason', 'must not contain U+0000'] },
  { name: 'a cancellation reason with a bell', path: cancelPath, body: { reason: 'ding\u0007' }, status: 400, message: 'Invalid cancellation', field: ['reason', 'must not contain U+0007'] },
  { name: 'a cancellation reason with a lone surrogate', path: cancelPath, body: { reason: 'boba \ud83e' }, status: 400, message: 'Invalid cancellation', field: ['reason', 'must not contain U+D83E'] },
  { name: 'a cancellation reason that is a number', path: cancelPath, body: { reason: 42 }, status: 400, message: 'Invalid cancellation', field: ['reason', 'expected string'] },
  { name: 'an unknown field in a cancellation', path: cancelPath, body: { refund: false }, status: 400, message: 'Invalid cancellation', field: ['refund', 'is not a known field'] },
  { name: 'a cancellation that is a JSON array', path: cancelPath, body: '[]', status: 400, message: 'Invalid cancellation', field: ['(body)', 'expected object'] },
  { name: 'a cancellation with broken JSON', path: cancelPath, body: '{"reason": ', status: 400, message: 'Request body is not valid JSON' },
  { name: 'a cancellation as text/plain', path: cancelPath, contentType: 'text/plain', body: 'too slow', status: 415, message: 'Content-Type must be application/json' },
];

beforeAll(async () => {
  connection = await connectTemporal(config);
  const temporalClient = new Client({ connection, namespace: config.temporal.namespace });
  api = await startTestApi({ temporalClient, namespace: config.temporal.namespace });
});

afterAll(async () => {
  await api?.close();
  await connection?.close();
});

describe('bad input', () => {
  it.each(CASES)('$name → $status', async ({ method = 'POST', path = '/orders', contentType = 'application/json', headers = {}, body, status, message, field }) => {
    const response = await fetch(`${api.baseUrl}${path}`, {
      method,
      headers: method === 'POST' ? { 'Content-Type': contentType, ...headers } : headers,
      ...(method === 'POST' ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });

    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toContain('application/json');
    const answer = (await response.json()) as ApiErrorBody;
    expect(answer.message).toBe(message);
    if (field) {
      const [name, text] = field;
      expect(answer.errors).toContainEqual(expect.objectContaining({ field: name, message: expect.stringContaining(text) }));
    } else {
      expect(answer.errors).toBeUndefined();
    }
  });

  it('logs no client mistake as an error', () => {
    const errors = api.logs().filter((line) => (line.level as number) >= 50);
    expect(errors).toEqual([]);
  });
});
