import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpException } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { lazyMetrics } from '../observability/lazy-metrics';

/** What the api role measures: its HTTP traffic, the orders it accepted, cancellations asked of it, open live streams. */
export const apiMetrics = lazyMetrics(() => {
  const metrics = {
    requests: new Counter({ name: 'bubble_tea_http_requests_total', help: 'HTTP requests answered, by route template, method and status', labelNames: ['method', 'route', 'status'] as const }),
    requestSeconds: new Histogram({
      name: 'bubble_tea_http_request_duration_seconds',
      help: 'HTTP request duration until the response was sent (live streams: until they closed)',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    }),
    ordersPlaced: new Counter({ name: 'bubble_tea_api_orders_placed_total', help: 'POST /orders that placed or joined an order (accepted: 202; already_over: a retry of a finished order, 200)', labelNames: ['result'] as const }),
    cancellations: new Counter({ name: 'bubble_tea_api_order_cancellations_total', help: 'POST /orders/:id/cancel by result: cancelled, refused (409), not_found, unavailable (503), error', labelNames: ['result'] as const }),
    openStreams: new Gauge({ name: 'bubble_tea_api_sse_streams_open', help: 'Server-Sent Events streams open now (all: /orders/stream; order: /orders/:id/stream)', labelNames: ['stream'] as const }),
  };
  for (const result of ['accepted', 'already_over']) metrics.ordersPlaced.inc({ result }, 0);
  for (const result of CANCEL_RESULTS) metrics.cancellations.inc({ result }, 0);
  for (const stream of ['all', 'order']) metrics.openStreams.set({ stream }, 0);
  return metrics;
});

const CANCEL_RESULTS = ['cancelled', 'refused', 'not_found', 'unavailable', 'error'] as const;

/** Counts a cancellation by how it ended, and passes its result or error on. */
export async function countCancellation<Result>(cancel: Promise<Result>): Promise<Result> {
  try {
    const result = await cancel;
    apiMetrics().cancellations.inc({ result: 'cancelled' });
    return result;
  } catch (error) {
    const status = error instanceof HttpException ? error.getStatus() : 500;
    const result = status === 409 ? 'refused' : status === 404 ? 'not_found' : status === 503 ? 'unavailable' : 'error';
    apiMetrics().cancellations.inc({ result });
    throw error;
  }
}

/**
 * Express middleware: times every request and counts it when its response is done, labelled with the route
 * template Express matched (`/orders/:id`), so order ids never become labels; unmatched paths share one label.
 */
export function httpMetricsMiddleware() {
  const { requests, requestSeconds } = apiMetrics();
  return (request: IncomingMessage & { route?: { path?: string } }, response: ServerResponse, next: () => void) => {
    const end = requestSeconds.startTimer();
    response.once('close', () => {
      const labels = { method: request.method ?? 'GET', route: request.route?.path ?? 'unmatched', status: String(response.statusCode) };
      requests.inc(labels);
      end(labels);
    });
    next();
  };
}
