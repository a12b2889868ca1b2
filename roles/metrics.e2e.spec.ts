import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/app-config';
import { createPgPool } from '../config/clients';
import type { Drink } from '../contracts/order-input';
import { STATIONS, type Station } from '../contracts/names';
import { NO_FAULTS, type StationFaults } from '../contracts/station-faults';
import { metricsUsed } from '../observability/testing/metrics-used';
import { metricNames, scrape, sumOf, type Sample } from '../observability/testing/scrape';
import { eventsOf } from '../projections/order-queries';
import { TEST_NAMESPACES } from '../stack/testing/test-namespaces';
import { openSse } from '../api/testing/sse-client';
import { freePort, startRoles, type RoleProcess } from './testing/role-process';
import { finalOrder as finalShopOrder, placeOrder as placeShopOrder, setStationFaults } from './testing/shop-requests';
import { operatorFetch } from '../api/testing/sessions';

// Requests come from the test operator, who may reach every order (api/auth.unit.spec.ts tests whom the API lets in).
const fetch = operatorFetch;

/**
 * Every role in a process of its own, each with its metrics port, in a namespace of its own: a few orders
 * (two plain, one delayed at the mixer, one failed at the top station, one cancelled) and the counters and
 * histogram counts of every endpoint, compared with what happened (the orders' events in the read model).
 */
const adminToken = `metrics-${randomUUID()}`;
const plain: Drink = { tea: 'Oolong', sugar: 25, pearl: 'None' };
const withTaro: Drink = { tea: 'Black', sugar: 50, pearl: 'Black Pearl', topping: 'Taro' };

let processes: RoleProcess[] = [];
let api: string;
let endpoints: Record<'api' | 'orchestrator' | 'stations' | 'projector', string>;
let pool: pg.Pool;

const setFaults = (station: Station, faults: Partial<StationFaults>) => setStationFaults(api, adminToken, station, faults);
const placeOrder = (drinks: Drink[]) => placeShopOrder(api, 'e2e-metrics', drinks);
const finalOrder = (orderId: string) => finalShopOrder(api, orderId, 90_000);

type Scrapes = Record<keyof typeof endpoints, Sample[]>;

async function scrapeAll(): Promise<Scrapes> {
  const entries = await Promise.all(Object.entries(endpoints).map(async ([name, url]) => [name, await scrape(url)] as const));
  return Object.fromEntries(entries) as Scrapes;
}

/** Waits until the projector has applied nothing new for a few seconds: the baseline and the final scrape are then stable. */
async function projectorIdle(): Promise<void> {
  let last = -1;
  let stableSince = Date.now();
  for (;;) {
    const applied = sumOf(await scrape(endpoints.projector), 'bubble_tea_projector_events_total');
    if (applied !== last) [last, stableSince] = [applied, Date.now()];
    if (Date.now() - stableSince >= 3_000) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe('Prometheus metrics of every role', () => {
  beforeAll(async () => {
    const [apiPort, ...metricsPorts] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
    const env = {
      TEMPORAL_NAMESPACE: TEST_NAMESPACES.observability,
      STATION_TIME_SCALE: '0',
      // Instant stations end well inside 5 s even on a loaded machine; the slowed mixer takes 9 s more.
      SLA_GRACE_SECONDS: '5',
      ADMIN_TOKEN: adminToken,
      API_PORT: String(apiPort),
    };
    const start = (roles: Parameters<typeof startRoles>[0], port: number, readyLog: string) => startRoles(roles, { ...env, METRICS_PORT: String(port) }, readyLog);
    processes = await Promise.all([
      start(['api'], metricsPorts[0]!, 'API listening'),
      start(['orchestrator'], metricsPorts[1]!, 'Orchestrator worker started'),
      start(['station:label', 'station:mix', 'station:top'], metricsPorts[2]!, 'Station top worker started'),
      start(['projector'], metricsPorts[3]!, 'Projector started'),
    ]);
    await processes[2]!.waitForLog('Station label worker started');
    await processes[2]!.waitForLog('Station mix worker started');
    api = `http://127.0.0.1:${apiPort}`;
    const url = (port: number) => `http://127.0.0.1:${port}/metrics`;
    endpoints = { api: `${api}/metrics`, orchestrator: url(metricsPorts[1]!), stations: url(metricsPorts[2]!), projector: url(metricsPorts[3]!) };
    const config = loadConfig({ ...process.env, ...env });
    pool = createPgPool(config.database.url, pino({ level: 'silent' }));
    for (const station of STATIONS) await setFaults(station, NO_FAULTS);
  });

  afterAll(async () => {
    if (api) for (const station of STATIONS) await setFaults(station, NO_FAULTS).catch(() => undefined);
    await Promise.all(processes.map((role) => role.stop()));
    await pool?.end();
  });

  it('serves each role its own /metrics, with the process metrics, and the api its own port too', async () => {
    const scrapes = await scrapeAll();
    for (const samples of Object.values(scrapes)) {
      expect(sumOf(samples, 'process_cpu_seconds_total')).toBeGreaterThan(0);
      expect(samples.some((sample) => sample.name === 'nodejs_eventloop_lag_seconds')).toBe(true);
    }
    // Each role's metrics live where the role runs, once.
    expect(scrapes.api.some((sample) => sample.name === 'bubble_tea_http_requests_total')).toBe(true);
    expect(scrapes.projector.some((sample) => sample.name === 'bubble_tea_orders_completed_total')).toBe(true);
    expect(scrapes.api.some((sample) => sample.name === 'bubble_tea_orders_completed_total')).toBe(false);
    // The Temporal SDK's worker metrics, from the workers' runtimes.
    expect(scrapes.orchestrator.some((sample) => sample.name.startsWith('temporal_'))).toBe(true);
    expect(scrapes.stations.some((sample) => sample.name.startsWith('temporal_'))).toBe(true);
    expect(scrapes.api.some((sample) => sample.name.startsWith('temporal_'))).toBe(false);
  });

  it('counts orders, stages, SLA breaches, cancellations, requests and streams exactly', async () => {
    await projectorIdle();
    const before = await scrapeAll();
    const stream = await openSse(`${api}/orders/stream`);
    await expect.poll(async () => sumOf(await scrape(endpoints.api), 'bubble_tea_api_sse_streams_open', { stream: 'all' })).toBe(1);

    const fine = [await placeOrder([plain]), await placeOrder([plain, withTaro])];
    for (const orderId of fine) expect((await finalOrder(orderId)).status).toBe('ready');

    await setFaults('mix', { extraLatencyMs: 9_000 });
    const delayed = await placeOrder([plain]);
    expect(await finalOrder(delayed)).toMatchObject({ status: 'ready', slaBreached: true });
    await setFaults('mix', NO_FAULTS);

    // Runs out while the order is mixing: placement would refuse it once the shop knows.
    await setFaults('mix', { extraLatencyMs: 4_000 });
    const failed = await placeOrder([withTaro]);
    await setFaults('top', { outOfStock: ['Taro'] });
    await setFaults('mix', NO_FAULTS);
    expect(await finalOrder(failed)).toMatchObject({ status: 'refunded', failureReason: 'top station is out of Taro' });
    await setFaults('top', NO_FAULTS);

    await setFaults('label', { extraLatencyMs: 4_000 });
    const cancelled = await placeOrder([plain]);
    const cancel = await fetch(`${api}/orders/${cancelled}/cancel`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"reason":"changed my mind"}' });
    expect(cancel.status).toBe(200);
    expect(await finalOrder(cancelled)).toMatchObject({ status: 'refunded', cancellationReason: 'changed my mind' });
    await setFaults('label', NO_FAULTS);
    const refused = await fetch(`${api}/orders/${fine[0]}/cancel`, { method: 'POST' });
    expect(refused.status).toBe(409);

    const orders = [...fine, delayed, failed, cancelled];
    const events = (await Promise.all(orders.map((orderId) => eventsOf(pool, orderId)))).flat();
    const happened = (type: string, match: (data: Record<string, unknown>) => boolean = () => true) =>
      events.filter((event) => event.type === type && match((event.payload as { data: Record<string, unknown> }).data)).length;
    stream.close();
    await expect.poll(async () => sumOf(await scrape(endpoints.api), 'bubble_tea_api_sse_streams_open', { stream: 'all' })).toBe(0);
    await projectorIdle();
    const after = await scrapeAll();
    const delta = (role: keyof Scrapes, name: string, labels: Record<string, string> = {}) => sumOf(after[role], name, labels) - sumOf(before[role], name, labels);

    // The order flow, counted by the projector from the events it applied.
    expect(delta('projector', 'bubble_tea_projector_events_total', { outcome: 'applied' })).toBe(events.length);
    expect(delta('projector', 'bubble_tea_orders_completed_total', { outcome: 'ready' })).toBe(3);
    expect(delta('projector', 'bubble_tea_orders_completed_total', { outcome: 'failed' })).toBe(1);
    expect(delta('projector', 'bubble_tea_orders_completed_total', { outcome: 'cancelled' })).toBe(1);
    expect(delta('projector', 'bubble_tea_order_placed_to_ready_seconds_count')).toBe(3);
    expect(delta('projector', 'bubble_tea_order_stage_seconds_count', { stage: 'label' })).toBe(happened('CupLabelled'));
    expect(delta('projector', 'bubble_tea_order_stage_seconds_count', { stage: 'mix' })).toBe(happened('TeaMixed'));
    expect(delta('projector', 'bubble_tea_order_stage_seconds_count', { stage: 'top' })).toBe(3);
    expect(happened('OrderDelayed', (data) => data.stage === 'mix')).toBe(1);
    for (const stage of STATIONS) {
      expect(delta('projector', 'bubble_tea_order_sla_breaches_total', { stage })).toBe(happened('OrderDelayed', (data) => data.stage === stage));
    }
    expect(delta('projector', 'bubble_tea_projector_dead_lettered_total')).toBe(0);
    // The delayed order spent at least the mixer's extra 9 s there.
    const slowMixes = (samples: Sample[]) => sumOf(samples, 'bubble_tea_order_stage_seconds_bucket', { stage: 'mix', le: '+Inf' }) - sumOf(samples, 'bubble_tea_order_stage_seconds_bucket', { stage: 'mix', le: '5' });
    expect(slowMixes(after.projector) - slowMixes(before.projector)).toBe(1);
    expect(after.projector.filter((sample) => sample.name === 'bubble_tea_projector_consumer_lag').every((sample) => sample.value === 0)).toBe(true);
    expect(sumOf(after.projector, 'bubble_tea_projector_last_applied_event_age_seconds')).toBeGreaterThan(0);

    // The api: what it accepted and answered.
    expect(delta('api', 'bubble_tea_api_orders_placed_total', { result: 'accepted' })).toBe(5);
    expect(delta('api', 'bubble_tea_api_order_cancellations_total', { result: 'cancelled' })).toBe(1);
    expect(delta('api', 'bubble_tea_api_order_cancellations_total', { result: 'refused' })).toBe(1);
    expect(delta('api', 'bubble_tea_http_requests_total', { method: 'POST', route: '/orders', status: '202' })).toBe(5);
    expect(delta('api', 'bubble_tea_http_request_duration_seconds_count', { method: 'POST', route: '/orders', status: '202' })).toBe(5);
    expect(delta('api', 'bubble_tea_http_requests_total', { method: 'POST', route: '/orders/:id/cancel', status: '200' })).toBe(1);
    expect(delta('api', 'bubble_tea_http_requests_total', { method: 'POST', route: '/orders/:id/cancel', status: '409' })).toBe(1);
    expect(delta('api', 'bubble_tea_http_requests_total', { method: 'GET', route: '/orders/stream', status: '200' })).toBe(1);

    // The Temporal SDK's worker metrics: one order workflow each, and the station activities that ran.
    expect(delta('orchestrator', 'temporal_workflow_completed_total', { workflow_type: 'orderWorkflow' })).toBe(5);
    expect(delta('stations', 'temporal_activity_execution_failed_total', { activity_type: 'sealTop' })).toBe(1);
    expect(delta('stations', 'temporal_activity_execution_latency_seconds_count', { activity_type: 'mixTea' })).toBe(happened('TeaMixed'));

    // Every metric the alert rules and the dashboard read is in these scrapes.
    const exported = metricNames(Object.values(after).flat());
    expect(metricsUsed().filter((name) => !exported.has(name))).toEqual([]);
  });
});
