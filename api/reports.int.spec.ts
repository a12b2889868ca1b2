import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/app-config';
import { REPORT_NAMES, REPORTS } from '../contracts/reports';
import { fillReadModel } from '../projections/reports/testing/report-database';
import { pgReportReader } from './report-reader';
import { createScratchReadModel, type ScratchReadModel } from './testing/scratch-read-model';
import { asCustomer, operatorFetch } from './testing/sessions';
import { startTestApi, type TestApi } from './testing/test-api';

/** `GET /reports/<name>` on the real read model, read through the API's read-only role; the numbers themselves are checked in projections/reports/. */

const config = loadConfig();
let readModel: ScratchReadModel;
let api: TestApi;

async function getJson(path: string): Promise<{ status: number; body: unknown }> {
  const response = await operatorFetch(`${api.baseUrl}${path}`);
  return { status: response.status, body: await response.json() };
}

beforeAll(async () => {
  readModel = await createScratchReadModel(config.database.url);
  await fillReadModel(readModel.writer);
  // Reports never reach Temporal: a connection that is never opened.
  const temporalClient = new Client({ connection: Connection.lazy({ address: config.temporal.address }) });
  api = await startTestApi({ temporalClient, reportReader: pgReportReader(readModel.reader) });
});

afterAll(async () => {
  await api?.close();
  await readModel?.drop();
});

describe('GET /reports', () => {
  it('lists every report with its view and address', async () => {
    const { status, body } = await getJson('/reports');
    expect(status).toBe(200);
    expect(body).toHaveLength(REPORT_NAMES.length);
    expect((body as unknown[])[0]).toEqual({ name: 'popular-items', summary: REPORTS['popular-items'].summary, view: 'reporting.popular_items', href: '/reports/popular-items' });
  });

  it('answers every report with rows of its documented shape', async () => {
    for (const name of REPORT_NAMES) {
      const { status, body } = await getJson(`/reports/${name}?since=2025-01-01`);
      expect(status, name).toBe(200);
      const report = body as { report: string; since: string; rows: unknown[] };
      expect(report.report).toBe(name);
      expect(report.since).toBe('2025-01-01T00:00:00.000Z');
      expect(report.rows.length, name).toBeGreaterThan(0);
      for (const row of report.rows) expect(REPORTS[name].row.parse(row)).toEqual(row);
    }
  });

  it('gives the hand-computed numbers, for all time or since a moment, and the last 24 hours by default', async () => {
    expect(await getJson('/reports/sla-breaches?since=all')).toEqual({
      status: 200,
      body: {
        report: 'sla-breaches',
        since: null,
        rows: [
          { stage: 'label', breaches: 0, orders: 8, rate: 0 },
          { stage: 'mix', breaches: 2, orders: 8, rate: 0.25 },
          { stage: 'top', breaches: 1, orders: 8, rate: 0.125 },
          { stage: 'any', breaches: 3, orders: 8, rate: 0.375 },
        ],
      },
    });
    expect(await getJson('/reports/revenue?since=all')).toEqual({
      status: 200,
      body: { report: 'revenue', since: null, rows: [{ currency: 'USD', payments: 8, charged_cents: 6175, refunds: 2, refunded_cents: 1000, net_cents: 5175 }] },
    });
    const mix = await getJson('/reports/stage-durations?since=2025-01-01T10:00:00Z');
    expect((mix.body as { rows: unknown[] }).rows[1]).toEqual({ stage: 'mix', orders: 2, p50: 4, p95: 4.9, p99: 4.98, max: 5 });
    const lastDay = await getJson('/reports/orders-per-hour');
    expect(lastDay.status).toBe(200);
    expect(Date.now() - Date.parse((lastDay.body as { since: string }).since)).toBeGreaterThanOrEqual(24 * 3_600_000);
    expect((lastDay.body as { rows: unknown[] }).rows).toEqual([]);
  });

  it.each([
    ['/reports/failures?since=soon', 400, 'since', /^expected a span such as 30m/],
    ['/reports/failures?sinse=1h', 400, 'sinse', /^is not a known field$/],
    ['/reports/failures?since=1h&since=2h', 400, 'since', /string/],
    ['/reports/failures?since=%01h', 400, 'since', /^must not contain U\+0001/],
    ['/reports/%01', 400, 'name', /^must not contain U\+0001/],
  ])('refuses %s with %i, naming the field', async (path, status, field, message) => {
    const answer = await getJson(path);
    expect(answer.status).toBe(status);
    const { errors } = answer.body as { errors: Array<{ field: string; message: string }> };
    expect(errors).toHaveLength(1);
    expect(errors[0]!.field).toBe(field);
    expect(errors[0]!.message).toMatch(message);
  });

  it('answers 404 for a report it does not have', async () => {
    expect(await getJson('/reports/cheese')).toEqual({ status: 404, body: { message: 'No report named cheese; GET /reports lists them' } });
  });

  it('are for operators: 401 without a session, 403 for a customer', async () => {
    for (const path of ['/reports', `/reports/${REPORT_NAMES[0]}`]) {
      expect((await fetch(`${api.baseUrl}${path}`)).status).toBe(401);
      expect((await fetch(`${api.baseUrl}${path}`, { headers: await asCustomer(api.baseUrl, 'alice') })).status).toBe(403);
    }
  });
});
