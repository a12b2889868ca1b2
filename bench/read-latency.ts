import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { getOrder } from '../projections/order-queries';
import { closedLoop } from './closed-loop';
import { distribution, type Distribution } from './stats';
import { BENCH_AUTHORIZATION } from './shop-process';

/* GET /orders/:id through the shop's API, against the same query behind a bare node:http server. */

export interface ReadLatencyResult {
  requests: number;
  shopMs: Distribution;
  bareMs: Distribution;
}

async function timeGets(baseUrl: string, orderIds: string[], requests: number, concurrency: number): Promise<Distribution> {
  const latencies: number[] = [];
  await closedLoop(requests, concurrency, async (index) => {
    const started = performance.now();
    const response = await fetch(`${baseUrl}/orders/${orderIds[index % orderIds.length]}`, { headers: BENCH_AUTHORIZATION });
    if (response.status !== 200) throw new Error(`GET ${baseUrl}/orders/:id answered ${response.status}`);
    await response.arrayBuffer();
    latencies.push(performance.now() - started);
  });
  return distribution(latencies.map((latency) => Math.round(latency * 100) / 100));
}

async function startBareServer(readerUrl: string): Promise<{ url: string; close(): Promise<void> }> {
  const pool = new pg.Pool({ connectionString: readerUrl });
  const server = http.createServer((request, response) => {
    const orderId = request.url?.split('/')[2] ?? '';
    getOrder(pool, orderId).then(
      (order) => {
        response.writeHead(order ? 200 : 404, { 'content-type': 'application/json' });
        response.end(JSON.stringify(order));
      },
      () => {
        response.writeHead(500);
        response.end();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await pool.end();
    },
  };
}

export async function benchReads(api: string, readerUrl: string, orderIds: string[], requests: number, concurrency = 8): Promise<ReadLatencyResult> {
  const bare = await startBareServer(readerUrl);
  try {
    // Warm both up, then alternate so neither gets the quieter moment.
    await timeGets(api, orderIds, 50, concurrency);
    await timeGets(bare.url, orderIds, 50, concurrency);
    const shopMs = await timeGets(api, orderIds, requests, concurrency);
    const bareMs = await timeGets(bare.url, orderIds, requests, concurrency);
    return { requests, shopMs, bareMs };
  } finally {
    await bare.close();
  }
}
