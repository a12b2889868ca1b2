import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSse, type SseConnection } from '../api/testing/sse-client';
import { startTracing, stopTracing } from '../observability/tracing';
import { TEST_NAMESPACES } from '../stack/testing/test-namespaces';
import { startWholeShop, type WholeShop } from './testing/whole-shop';
import { operatorFetch } from '../api/testing/sessions';

// Requests come from the test operator, who may reach every order (api/auth.unit.spec.ts tests whom the API lets in).
const fetch = operatorFetch;

/** The events of a ready order, in sequence. */
const PUBLISHED = ['OrderPlaced', 'OrderPaid', 'CupLabelled', 'TeaMixed', 'OrderTopped'];

/**
 * One order's trace, from POST /orders to the live stream's push, with every role in this process and the
 * spans kept in memory: one trace, one root, and each step a descendant of the step that caused it.
 */
const exporter = new InMemorySpanExporter();
let shop: WholeShop;
let stream: SseConnection;

const spanId = (span: ReadableSpan) => span.spanContext().spanId;
const parentOf = (span: ReadableSpan) => span.parentSpanId;

function tree(spans: ReadableSpan[]) {
  const byId = new Map(spans.map((span) => [spanId(span), span]));
  const ancestors = (span: ReadableSpan): string[] => {
    const names: string[] = [];
    for (let parent = byId.get(parentOf(span) ?? ''); parent; parent = byId.get(parentOf(parent) ?? '')) names.push(parent.name);
    return names;
  };
  const named = (name: string) => spans.filter((span) => span.name === name);
  /** The one span of that name, checked to sit under each of `under` (nearest first, not necessarily adjacent). */
  const one = (name: string, under: string[]) => {
    const found = named(name);
    expect(found, `spans named ${name}`).toHaveLength(1);
    expect(ancestors(found[0]!).filter((ancestor) => under.includes(ancestor))).toEqual(under);
    return found[0]!;
  };
  return { byId, ancestors, named, one };
}

describe('one trace per order', () => {
  beforeAll(async () => {
    await startTracing('bubble-tea-shop', { exporter });
    shop = await startWholeShop('e2e-order-trace', { STATION_TIME_SCALE: '0', SLA_GRACE_SECONDS: '120', TEMPORAL_NAMESPACE: TEST_NAMESPACES.observability });
    stream = await openSse(`${shop.api}/orders/stream`);
  });

  afterAll(async () => {
    stream?.close();
    await shop?.stop();
    await stopTracing();
  });

  it('spans POST /orders → workflow → each activity → each Kafka message → the projector → the SSE push', async () => {
    const response = await fetch(`${shop.api}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ customerId: 'e2e-trace', drinks: [{ tea: 'Oolong', sugar: 50, pearl: 'Black Pearl', topping: 'Taro' }] }),
    });
    expect(response.status).toBe(202);
    const { orderId } = (await response.json()) as { orderId: string };
    const pushed = () => exporter.getFinishedSpans().filter((span) => span.name === 'sse push' && span.attributes['order.id'] === orderId);
    await expect.poll(() => pushed().length, { timeout: 60_000, interval: 250 }).toBe(PUBLISHED.length);
    // The workflow's own span ends with it, a moment after its last event.
    await expect.poll(() => exporter.getFinishedSpans().some((span) => span.name === 'RunWorkflow:orderWorkflow' && span.spanContext().traceId === pushed()[0]!.spanContext().traceId), { timeout: 30_000 }).toBe(true);

    const traceId = pushed()[0]!.spanContext().traceId;
    const spans = exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
    const { byId, one, named, ancestors } = tree(spans);

    const roots = spans.filter((span) => !byId.has(parentOf(span) ?? ''));
    expect(roots.map((span) => [span.name, span.kind])).toEqual([['POST', SpanKind.SERVER]]);
    expect(roots[0]!.attributes['http.target'] ?? roots[0]!.attributes['url.path']).toBe('/orders');

    one('StartWorkflow:orderWorkflow', ['POST']);
    one('RunWorkflow:orderWorkflow', ['StartWorkflow:orderWorkflow', 'POST']);
    for (const activity of ['chargeOrder', 'printLabels', 'mixTea', 'sealTop']) {
      one(`StartActivity:${activity}`, ['RunWorkflow:orderWorkflow']);
      one(`RunActivity:${activity}`, [`StartActivity:${activity}`, 'RunWorkflow:orderWorkflow', 'POST']);
    }
    for (const type of PUBLISHED) {
      one(`publish ${type}`, ['RunActivity:publishEvent', 'RunWorkflow:orderWorkflow', 'POST']);
      const apply = one(`apply ${type}`, [`publish ${type}`, 'RunActivity:publishEvent', 'RunWorkflow:orderWorkflow']);
      expect(apply.attributes['projector.outcome']).toBe('applied');
      expect(apply.kind).toBe(SpanKind.CONSUMER);
    }
    expect(named('sse push')).toHaveLength(PUBLISHED.length);
    for (const push of named('sse push')) expect(ancestors(push).slice(0, 2)).toEqual([`apply ${PUBLISHED[Number(push.attributes['order.event.sequence']) - 1]}`, expect.stringMatching(/^publish /)]);
    // Every span of the order is in this one trace: none of its publications started a trace of its own.
    const elsewhere = exporter.getFinishedSpans().filter((span) => span.attributes['order.id'] === orderId && span.spanContext().traceId !== traceId);
    expect(elsewhere.map((span) => span.name)).toEqual([]);
  });

  it('traces the PostgreSQL queries of a read inside its request', async () => {
    const response = await fetch(`${shop.api}/orders?customer=e2e-trace&limit=5`);
    expect(response.status).toBe(200);
    await expect
      .poll(() => {
        const get = exporter.getFinishedSpans().find((span) => span.name === 'GET' && span.attributes['http.target'] === '/orders?customer=e2e-trace&limit=5');
        return get && exporter.getFinishedSpans().some((span) => span.attributes['db.system'] === 'postgresql' && span.spanContext().traceId === get.spanContext().traceId);
      })
      .toBe(true);
  });
});
