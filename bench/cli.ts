import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadConfig, loadStackTemporal, type AppConfig } from '../config/app-config';
import { createKafka } from '../config/clients';
import { createLogger, routeTemporalLogs } from '../roles/logger';
import { readPidRecord } from '../stack/processes';
import { up } from '../stack/stack';
import { REPO_ROOT, stackHome } from '../stack/stack-home';
import { BENCH_NAMESPACE, TEMPORAL_CLI_VERSION } from '../stack/temporal';
import { CONTEXT_SHAPES, runBareWorkflows, SHOP_SHAPE, type BareResult } from './bare-temporal';
import { chartSvg } from './chart';
import { fixedRate, saturate } from './order-load';
import { watchProcesses, type WatchedProcess } from './process-stats';
import { progress } from './progress';
import { benchRebuild } from './projector-rebuild';
import { benchReads } from './read-latency';
import { watchReadyOrders } from './ready-watch';
import { formatReport, judge, type BenchResult, type PhaseResult } from './report';
import { startShopProcess } from './shop-process';
import { terminateLeftovers } from './leftovers';
import { benchObservability, formatObservability, type ObservabilityOverhead } from './observability-overhead';

const USAGE = `npm run bench -- [--tiny] [--orders N] [--in-flight N] [--rates 5,10,20,40] [--seconds-per-rate S]
                    [--bare N] [--rebuild-orders N] [--reads N] [--observability [--observability-rounds N]] [--out DIR]
Runs the shop and bare-Temporal floors on the local stack (brought up if needed) and prints a table;
writes DIR/latest.json and DIR/latest.svg (default bench/results). --observability adds a phase that runs the
shop at saturation with metrics and tracing off, then on (OTLP to a local sink, /metrics scraped), N times each.`;

function options() {
  const { values } = parseArgs({
    options: {
      tiny: { type: 'boolean', default: false },
      orders: { type: 'string' },
      'in-flight': { type: 'string', default: '50' },
      rates: { type: 'string' },
      'seconds-per-rate': { type: 'string' },
      bare: { type: 'string' },
      'rebuild-orders': { type: 'string' },
      reads: { type: 'string' },
      observability: { type: 'boolean', default: false },
      'observability-rounds': { type: 'string' },
      out: { type: 'string', default: path.join(REPO_ROOT, 'bench', 'results') },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const tiny = values.tiny;
  const number = (value: string | undefined, full: number, small: number) => {
    const parsed = value === undefined ? (tiny ? small : full) : Number(value);
    if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`expected a positive number, got ${value}\n${USAGE}`);
    return parsed;
  };
  return {
    orders: number(values.orders, 400, 10),
    inFlight: number(values['in-flight'], 50, 5),
    rates: (values.rates ?? (tiny ? '5' : '5,10,20,40')).split(',').map((rate) => number(rate, 0, 0)),
    secondsPerRate: number(values['seconds-per-rate'], 20, 2),
    bare: number(values.bare, 200, 5),
    rebuildOrders: number(values['rebuild-orders'], 5000, 50),
    reads: number(values.reads, 2000, 20),
    observability: values.observability,
    observabilityRounds: number(values['observability-rounds'], 2, 1),
    out: values.out,
  };
}

/** The local stack's server processes, when the bench runs against it. */
function serverProcesses(config: AppConfig): WatchedProcess[] {
  if (!config.temporal.uiUrl) return [];
  const home = stackHome();
  return (['temporal', 'kafka', 'postgres'] as const).flatMap((name) => {
    const record = readPidRecord(home.pidFile(name));
    return record ? [{ name, pid: record.pid }] : [];
  });
}

async function main(): Promise<void> {
  const settings = options();
  const loadBefore = os.loadavg();
  const usesLocalStack = loadConfig().temporal.uiUrl !== undefined;
  // On the local stack the bench has a namespace of its own; elsewhere it uses the configured one.
  const namespace = usesLocalStack ? BENCH_NAMESPACE : loadConfig().temporal.namespace;
  const config = loadConfig({ ...process.env, TEMPORAL_NAMESPACE: namespace });
  routeTemporalLogs(createLogger('bench'));
  if (usesLocalStack) await up(stackHome(), { progress: (service, line) => console.error(`[stack:${service}] ${line}`) });
  await terminateLeftovers(config);

  const bare = await runBareWorkflows(config, [SHOP_SHAPE, ...CONTEXT_SHAPES], { workflows: settings.bare, inFlight: settings.inFlight, progress });

  // Long SLAs: a benchmark at saturation is late by design, and OrderDelayed events would change what is measured.
  const shopSettings = { STATION_TIME_SCALE: '0', SLA_GRACE_SECONDS: '3600', LOG_LEVEL: 'warn', TEMPORAL_NAMESPACE: namespace };
  const logFile = path.join(stackHome().logsDir, 'bench-shop.log');
  const shop = await startShopProcess(shopSettings, logFile);
  const watched = [...serverProcesses(config), { name: 'shop', pid: shop.pid }, { name: 'bench', pid: process.pid }];
  const watch = await watchReadyOrders(config.database.url);
  const phase = async (run: () => Promise<Omit<PhaseResult, 'processes'>>): Promise<PhaseResult> => {
    const usage = watchProcesses(watched);
    const result = await run();
    return { ...result, processes: usage.stop() };
  };
  let saturation: PhaseResult;
  let shopFloorAfter: BareResult | undefined;
  const rates: PhaseResult[] = [];
  let reads;
  try {
    saturation = await phase(() => saturate(shop.api, watch, settings.orders, settings.inFlight, progress('shop at saturation', settings.orders)));
    [shopFloorAfter] = await runBareWorkflows(config, [SHOP_SHAPE], { workflows: settings.bare, inFlight: settings.inFlight, progress });
    for (const rate of settings.rates) {
      const total = Math.round(rate * settings.secondsPerRate);
      rates.push(await phase(() => fixedRate(shop.api, watch, rate, settings.secondsPerRate, progress(`shop at ${rate} orders/s`, total))));
    }
    const reader = new pg.Client({ connectionString: config.database.readerUrl });
    await reader.connect();
    const { rows } = await reader.query<{ order_id: string }>('select order_id from orders order by placed_at desc limit 500').finally(() => reader.end());
    const bar = progress('GET /orders/:id', settings.reads);
    reads = await benchReads(shop.api, config.database.readerUrl, rows.map((row) => row.order_id), settings.reads);
    bar.finish(`p99 ${reads.shopMs.p99} ms (bare ${reads.bareMs.p99} ms)`);
  } finally {
    await watch.close();
    await shop.stop();
  }

  let observability: ObservabilityOverhead | undefined;
  if (settings.observability) {
    const watchOverhead = await watchReadyOrders(config.database.url);
    try {
      const { orders, inFlight } = settings;
      observability = await benchObservability({ shopSettings, logsDir: stackHome().logsDir, watch: watchOverhead, orders, inFlight, rounds: settings.observabilityRounds, progress });
    } finally {
      await watchOverhead.close();
    }
  }

  const rebuild = await benchRebuild(config, createKafka(config), settings.rebuildOrders, progress);
  const partial = {
    date: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      temporal: !usesLocalStack
        ? `Temporal at ${config.temporal.address}`
        : loadStackTemporal() === 'postgres'
          ? 'Temporal server on PostgreSQL (STACK_TEMPORAL=postgres)'
          : `Temporal CLI ${TEMPORAL_CLI_VERSION} dev server`,
    },
    loadAverage: { before: loadBefore, after: os.loadavg() },
    settings: { ...shopSettings, orders: settings.orders, inFlight: settings.inFlight, secondsPerRate: settings.secondsPerRate, bareWorkflows: settings.bare, rebuildEvents: rebuild.events, reads: settings.reads },
    bare,
    shopFloorAfter: shopFloorAfter!,
    saturation,
    rates,
    reads,
    rebuild,
  };
  const result: BenchResult = { ...partial, goals: judge(partial) };
  mkdirSync(settings.out, { recursive: true });
  writeFileSync(path.join(settings.out, 'latest.json'), `${JSON.stringify(observability ? { ...result, observability } : result, null, 2)}\n`);
  writeFileSync(path.join(settings.out, 'latest.svg'), chartSvg(result));
  console.log(formatReport(result));
  if (observability) console.log(`\n${formatObservability(observability)}`);
  console.log(`\nWritten: ${path.relative(process.cwd(), path.join(settings.out, 'latest.json'))}, latest.svg; the shop's log: ${path.relative(process.cwd(), logFile)}`);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
