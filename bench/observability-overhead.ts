import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { saturate } from './order-load';
import { watchProcesses } from './process-stats';
import type { Progress } from './progress';
import type { ReadyWatch } from './ready-watch';
import { startShopProcess } from './shop-process';
import { distribution, type Distribution } from './stats';

/*
 * What metrics and tracing cost the shop, measured in the bench's own run (`--observability`): the same
 * saturation load on a fresh shop process with observability off (no OTLP endpoint, nobody scraping) and on
 * (every span exported over OTLP to a local sink that accepts and discards it, /metrics scraped every
 * SCRAPE_INTERVAL_MS), alternating off and on so the machine's drift falls on both alike.
 */

const SCRAPE_INTERVAL_MS = 5_000;
const WARM_UP_ORDERS = 5;

export interface ObservabilityRun {
  mode: 'off' | 'on';
  readyPerSecond: number;
  latencyMs: Distribution;
  shopCores: number;
  shopPeakRssMiB: number;
  /** On only: what the OTLP sink received, and what the scrapes cost. */
  otlpRequests?: number;
  otlpKiB?: number;
  scrapeMs?: Distribution;
  scrapeKiB?: number;
}

export interface ObservabilityOverhead {
  orders: number;
  inFlight: number;
  runs: ObservabilityRun[];
  /** Median ready/s with observability on over off (1: no cost; 0.9: 10% fewer orders a second). */
  throughputRatio: number;
  /** p99 latency (ms) on minus off, medians of the runs. */
  p99DeltaMs: number;
  /** Shop CPU per ready order, on over off. */
  cpuPerOrderRatio: number;
}

/** A stand-in OTLP/HTTP collector: answers every export with an empty (successful) protobuf response, counting what it got. */
async function startOtlpSink(): Promise<{ url: string; received(): { requests: number; bytes: number }; close(): Promise<void> }> {
  let requests = 0;
  let bytes = 0;
  const server = createServer((request, response) => {
    request.on('data', (chunk: Buffer) => (bytes += chunk.length));
    request.on('end', () => {
      requests += 1;
      response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received: () => ({ requests, bytes }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function runOnce(mode: 'off' | 'on', settings: Record<string, string>, logsDir: string, watch: ReadyWatch, orders: number, inFlight: number, bar: Progress): Promise<ObservabilityRun> {
  const sink = mode === 'on' ? await startOtlpSink() : undefined;
  const shop = await startShopProcess({ ...settings, ...(sink && { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url }) }, path.join(logsDir, `bench-shop-observability-${mode}.log`));
  const scrapes: number[] = [];
  let scrapeBytes = 0;
  const scraper =
    mode === 'on'
      ? setInterval(() => {
          const started = Date.now();
          void fetch(`${shop.api}/metrics`)
            .then((response) => response.text())
            .then((text) => {
              scrapes.push(Date.now() - started);
              scrapeBytes = text.length;
            }, () => undefined);
        }, SCRAPE_INTERVAL_MS)
      : undefined;
  let measured: Omit<ObservabilityRun, 'otlpRequests' | 'otlpKiB'>;
  try {
    // A fresh process is slow at first (connections, the workflow cache, V8): warm it up before measuring.
    await saturate(shop.api, watch, WARM_UP_ORDERS, WARM_UP_ORDERS, { update: () => undefined, finish: () => undefined });
    const usage = watchProcesses([{ name: 'shop', pid: shop.pid }]);
    const load = await saturate(shop.api, watch, orders, inFlight, bar);
    const [shopUsage] = usage.stop();
    measured = {
      mode,
      readyPerSecond: load.readyPerSecond,
      latencyMs: load.latencyMs,
      shopCores: shopUsage!.cores,
      shopPeakRssMiB: shopUsage!.peakRssMiB,
      ...(sink && { scrapeMs: distribution(scrapes), scrapeKiB: Math.round(scrapeBytes / 1024) }),
    };
  } finally {
    clearInterval(scraper);
    // Stopping flushes the spans still batched, so the sink has them all once the process is gone.
    await shop.stop();
    await sink?.close();
  }
  // Spans of the warm-up orders included: a handful next to the measured ones.
  return { ...measured, ...(sink && { otlpRequests: sink.received().requests, otlpKiB: Math.round(sink.received().bytes / 1024) }) };
}

const medianOf = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;

export async function benchObservability(options: {
  shopSettings: Record<string, string>;
  logsDir: string;
  watch: ReadyWatch;
  orders: number;
  inFlight: number;
  rounds: number;
  progress: (label: string, total: number) => Progress;
}): Promise<ObservabilityOverhead> {
  const runs: ObservabilityRun[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    for (const mode of ['off', 'on'] as const) {
      const bar = options.progress(`observability ${mode} (${round}/${options.rounds})`, options.orders);
      runs.push(await runOnce(mode, options.shopSettings, options.logsDir, options.watch, options.orders, options.inFlight, bar));
    }
  }
  const of = (mode: 'off' | 'on') => runs.filter((run) => run.mode === mode);
  const median = (mode: 'off' | 'on', pick: (run: ObservabilityRun) => number) => medianOf(of(mode).map(pick));
  const cpuPerOrder = (run: ObservabilityRun) => run.shopCores / run.readyPerSecond;
  return {
    orders: options.orders,
    inFlight: options.inFlight,
    runs,
    throughputRatio: median('on', (run) => run.readyPerSecond) / median('off', (run) => run.readyPerSecond),
    p99DeltaMs: median('on', (run) => run.latencyMs.p99) - median('off', (run) => run.latencyMs.p99),
    cpuPerOrderRatio: median('on', cpuPerOrder) / median('off', cpuPerOrder),
  };
}

export function formatObservability(result: ObservabilityOverhead): string {
  const f = (value: number | undefined, digits = 1) => (value === undefined || !Number.isFinite(value) ? '-' : value.toFixed(digits));
  const lines = result.runs.map(
    (run) =>
      `| ${run.mode.padEnd(3)} | ${f(run.readyPerSecond).padStart(7)} | ${f(run.latencyMs.p50, 0).padStart(6)} | ${f(run.latencyMs.p99, 0).padStart(6)} | ${f(run.shopCores, 2).padStart(8)} | ${f(run.shopPeakRssMiB, 0).padStart(8)} | ${run.otlpRequests === undefined ? '-' : `${run.otlpRequests} requests, ${run.otlpKiB} KiB`} | ${run.scrapeMs ? `${run.scrapeMs.count} scrapes, p99 ${run.scrapeMs.p99} ms, ${run.scrapeKiB} KiB` : '-'} |`,
  );
  return [
    `Metrics and tracing off vs on (saturation, ${result.orders} orders, ${result.inFlight} in flight, a fresh shop each run, alternating):`,
    '| obs | ready/s | p50 ms | p99 ms | shop CPU | RSS MiB | OTLP export | /metrics scrapes |',
    '|-----|---------|--------|--------|----------|---------|-------------|------------------|',
    ...lines,
    `on / off: throughput ${f(result.throughputRatio, 2)}, p99 ${result.p99DeltaMs >= 0 ? '+' : ''}${f(result.p99DeltaMs, 0)} ms, shop CPU per order ${f(result.cpuPerOrderRatio, 2)}`,
  ].join('\n');
}
