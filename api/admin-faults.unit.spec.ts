import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { STATIONS } from '../contracts/names';
import { NO_FAULTS } from '../contracts/station-faults';
import type { ApiErrorBody } from './api-error';
import { RecordingStationFaultsPublisher } from './testing/recording-station-faults-publisher';
import { asCustomer, asOperator, TEST_AUTH, TEST_OPERATOR } from './testing/sessions';
import { startTestApi, type TestApi } from './testing/test-api';

/** Fault injection through `PUT /admin/faults/:station`, with the publisher recording what it was given. */

const ADMIN_TOKEN = 'admin-test-token-4f1c';
const temporalClient = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
const publisher = new RecordingStationFaultsPublisher();
let api: TestApi;
let disabledApi: TestApi;

beforeAll(async () => {
  api = await startTestApi({ temporalClient, auth: { ...TEST_AUTH, adminToken: ADMIN_TOKEN }, stationFaults: publisher });
  disabledApi = await startTestApi({ temporalClient, stationFaults: publisher });
});

afterAll(async () => {
  await api?.close();
  await disabledApi?.close();
});

beforeEach(() => {
  publisher.changes.length = 0;
  publisher.failWith = undefined;
});

interface PutOptions {
  authorization?: string;
  contentType?: string;
  baseUrl?: string;
}

async function putFaults(station: string, body: unknown, options: PutOptions = {}) {
  const { authorization = `Bearer ${ADMIN_TOKEN}`, contentType = 'application/json', baseUrl = api.baseUrl } = options;
  const response = await fetch(`${baseUrl}/admin/faults/${station}`, {
    method: 'PUT',
    headers: { 'Content-Type': contentType, ...(authorization === '' ? {} : { Authorization: authorization }) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { response, json: (await response.json()) as ApiErrorBody & Record<string, unknown> };
}

describe('PUT /admin/faults/:station', () => {
  it('publishes the station’s new faults, defaults filled in, and answers them', async () => {
    const { response, json } = await putFaults('mix', { failureRate: 0.5, outOfStock: ['Taro', 'Oolong'] });
    expect(response.status).toBe(200);
    const expected = { station: 'mix', faults: { failureRate: 0.5, extraLatencyMs: 0, outOfStock: ['Taro', 'Oolong'] } };
    expect(json).toEqual(expected);
    expect(publisher.changes).toEqual([expected]);
    expect(api.logs().find((line) => line.msg === 'station faults changed')).toMatchObject({ level: 30, ...expected });
  });

  it('clears every fault of a station with an empty object', async () => {
    const { response, json } = await putFaults('label', {});
    expect(response.status).toBe(200);
    expect(json).toEqual({ station: 'label', faults: NO_FAULTS });
    expect(publisher.changes).toEqual([{ station: 'label', faults: NO_FAULTS }]);
  });

  it('accepts the token case-insensitively named as a bearer token, for every station', async () => {
    for (const station of STATIONS) {
      expect((await putFaults(station, { extraLatencyMs: 250 }, { authorization: `bearer ${ADMIN_TOKEN}` })).response.status).toBe(200);
    }
    expect(publisher.changes.map((change) => change.station)).toEqual(['label', 'mix', 'top']);
  });

  it('takes a signed-in operator, and logs who changed what in the audit trail', async () => {
    const { authorization } = await asOperator(disabledApi.baseUrl);
    const { response } = await putFaults('mix', { failureRate: 0.25 }, { authorization, baseUrl: disabledApi.baseUrl });
    expect(response.status).toBe(200);
    const audit = disabledApi.logs().find((line) => line.msg === 'station faults changed');
    expect(audit).toMatchObject({ audit: true, actor: `operator:${TEST_OPERATOR.name}`, action: 'set-station-faults', station: 'mix' });
    expect(audit!.time).toEqual(expect.any(Number));
  });

  it('is 403 for a customer, and 401 for the admin token where none is configured', async () => {
    const customer = await asCustomer(api.baseUrl, 'alice');
    const refused = await putFaults('mix', { failureRate: 1 }, { authorization: customer.authorization });
    expect(refused.response.status).toBe(403);
    for (const authorization of [`Bearer ${ADMIN_TOKEN}`, '', 'Bearer ']) {
      const { response } = await putFaults('mix', { failureRate: 1 }, { authorization, baseUrl: disabledApi.baseUrl });
      expect(response.status).toBe(401);
    }
    expect(publisher.changes).toEqual([]);
  });

  it.each([
    ['no Authorization header', ''],
    ['a wrong token', 'Bearer not-the-token'],
    ['the token with a suffix', `Bearer ${ADMIN_TOKEN}x`],
    ['a prefix of the token', `Bearer ${ADMIN_TOKEN.slice(0, -1)}`],
    ['the bare token', ADMIN_TOKEN],
    ['Basic authentication', `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}`],
    ['a bearer without a token', 'Bearer '],
  ])('is 401 with %s, before looking at the body', async (_case, authorization) => {
    const { response, json } = await putFaults('mix', { failureRate: 7 }, { authorization });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="bubble-tea-shop"');
    expect(json.message).toMatch(/^Sign in first/);
    expect(publisher.changes).toEqual([]);
  });

  it('is 404 for a station that does not exist', async () => {
    const { response, json } = await putFaults('boba', {});
    expect(response.status).toBe(404);
    expect(json).toEqual({ message: 'Station boba not found: the stations are label, mix, top' });
  });

  it('is 400 for a station name with U+0000, naming it', async () => {
    const { response, json } = await putFaults('mix%00', {});
    expect(response.status).toBe(400);
    expect(json).toEqual({ message: 'Invalid path', errors: [{ field: 'station', message: expect.stringContaining('must not contain U+0000'), code: expect.any(String) }] });
  });

  it.each([
    ['a failure rate above 1', { failureRate: 1.5 }, 'failureRate', 'expected number to be <=1'],
    ['a negative failure rate', { failureRate: -0.1 }, 'failureRate', 'expected number to be >=0'],
    ['a failure rate as text', { failureRate: '50%' }, 'failureRate', 'expected number'],
    ['fractional latency', { extraLatencyMs: 2.5 }, 'extraLatencyMs', 'expected int'],
    ['latency above 10 minutes', { extraLatencyMs: 600_001 }, 'extraLatencyMs', 'expected number to be <=600000'],
    ['an ingredient not on the menu', { outOfStock: ['Taro', 'Cheese Foam'] }, 'outOfStock[1]', 'expected one of'],
    ['out of stock as one string', { outOfStock: 'Taro' }, 'outOfStock', 'expected array'],
    ['an unknown field', { failureRate: 0, brokenCups: true }, 'brokenCups', 'is not a known field'],
    ['an array body', [], '(body)', 'expected object'],
  ])('is 400 for %s, naming the field', async (_case, body, field, message) => {
    const { response, json } = await putFaults('top', body);
    expect(response.status).toBe(400);
    expect(json.message).toBe('Invalid station faults');
    expect(json.errors).toContainEqual({ field, message: expect.stringContaining(message), code: expect.any(String) });
    expect(publisher.changes).toEqual([]);
  });

  it('is 400 for broken JSON and 415 for a body that is not JSON', async () => {
    const broken = await putFaults('top', '{"failureRate": ');
    expect([broken.response.status, broken.json]).toEqual([400, { message: 'Request body is not valid JSON' }]);
    const text = await putFaults('top', 'failureRate=1', { contentType: 'text/plain' });
    expect([text.response.status, text.json]).toEqual([415, { message: 'Content-Type must be application/json' }]);
    expect(publisher.changes).toEqual([]);
  });

  it('logs no client mistake as an error', () => {
    expect(api.logs().filter((line) => (line.level as number) >= 50)).toEqual([]);
  });

  it('is a logged, retryable 503 when the change cannot be published', async () => {
    publisher.failWith = new Error('broker 10.0.0.9:9092 is not the leader; sasl password=hunter2');
    const { response, json } = await putFaults('mix', { failureRate: 1 });
    expect(response.status).toBe(503);
    expect(json).toEqual({ message: 'The station faults could not be published; please retry shortly' });
    const logged = api.logs().find((line) => line.msg === 'request failed');
    expect(JSON.stringify(logged?.err)).toContain('not the leader');
  });
});
