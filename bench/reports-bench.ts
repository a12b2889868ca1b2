import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type pg from 'pg';
import pino from 'pino';
import { loadConfig } from '../config/app-config';
import { createPgPool } from '../config/clients';
import { DEFAULT_SINCE, parseSince, REPORT_NAMES, type ReportName } from '../contracts/reports';
import { reportSql } from '../projections/reports/report-queries';
import { refreshReportRollups } from '../projections/reports/rollups';
import { createScratchDatabase, roleOn } from '../projections/testing/scratch-database';
import { up } from '../stack/stack';
import { REPO_ROOT, stackHome } from '../stack/stack-home';
import { progress } from './progress';
import { generateOrders } from './reports-data';

/*
 * Every report on a large read model: `--orders` (1,000,000) orders made with generate_series in a scratch
 * database of the local stack (the rollups' triggers fold them as they are inserted), then each report run
 * through the analyst role for every `since` of SINCES, all time included, timed (median of `--runs`), with the
 * indexes its plan uses (EXPLAIN ANALYZE). The database is dropped at the end. Writes
 * bench/results/reports-latest.json and prints the README's table.
 */

const USAGE = `npm run bench:reports -- [--orders 1000000] [--days 100] [--runs 3] [--out DIR]`;
const LIMIT_MS = 1000;
/** The default, windows of a week, a month and two months (more than half the 100 days: the customers report reads back from all time there), and all time. */
const SINCES = [DEFAULT_SINCE, '7d', '30d', '60d', 'all'] as const;
const STATEMENT_TIMEOUT_MS = 180_000;

function options() {
  const { values } = parseArgs({
    options: {
      orders: { type: 'string', default: '1000000' },
      days: { type: 'string', default: '100' },
      runs: { type: 'string', default: '3' },
      out: { type: 'string', default: path.join(REPO_ROOT, 'bench', 'results') },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const number = (value: string, max: number) => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed <= 0 || parsed > max) throw new Error(`expected a whole number from 1 to ${max}, got ${value}\n${USAGE}`);
    return parsed;
  };
  // Bounded: the bench is heavy, and a typo must not fill the disk.
  return { orders: number(values.orders, 5_000_000), days: number(values.days, 3650), runs: number(values.runs, 10), out: values.out };
}

interface Measured {
  report: ReportName;
  since: string;
  medianMs: number;
  executionMs: number;
  rows: number;
  indexes: string[];
  scans: string[];
}

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

function* nodesOf(node: PlanNode): Generator<PlanNode> {
  yield node;
  for (const child of node.Plans ?? []) yield* nodesOf(child);
}

async function measure(db: pg.Pool, report: ReportName, sinceText: string, runs: number): Promise<Measured> {
  const since = parseSince(sinceText);
  if (since instanceof Error) throw since;
  const parameter = since === null ? '-infinity' : since.toISOString();
  const times: number[] = [];
  let rows = 0;
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    rows = (await db.query(reportSql(report), [parameter])).rowCount ?? 0;
    times.push(performance.now() - started);
  }
  const { rows: explained } = await db.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode; 'Execution Time': number }> }>(
    `explain (analyze, format json) ${reportSql(report)}`,
    [parameter],
  );
  const [{ Plan: plan, 'Execution Time': executionMs }] = explained[0]!['QUERY PLAN'] as [{ Plan: PlanNode; 'Execution Time': number }];
  const nodes = [...nodesOf(plan)];
  return {
    report,
    since: sinceText,
    medianMs: times.toSorted((a, b) => a - b)[Math.floor(times.length / 2)]!,
    executionMs,
    rows,
    indexes: [...new Set(nodes.flatMap((node) => (node['Index Name'] ? [node['Index Name']] : [])))],
    scans: [...new Set(nodes.filter((node) => node['Node Type'] === 'Seq Scan').map((node) => `seq ${node['Relation Name']}`))],
  };
}

async function main(): Promise<void> {
  const { orders, days, runs, out } = options();
  const config = loadConfig();
  await up(stackHome(), { services: ['postgres'], progress: (service, line) => console.error(`[stack:${service}] ${line}`) });
  const database = await createScratchDatabase(config.database.url, { prefix: 'reports_bench' });
  // One connection, so every run of a report meets the same session; a query that would run for ever is cut off.
  const analyst = createPgPool(roleOn(config.database.analystUrl, database), pino({ level: 'silent' }), { max: 1, statement_timeout: STATEMENT_TIMEOUT_MS });
  try {
    const generating = progress('orders generated', orders);
    const generateStarted = performance.now();
    await generateOrders(database.pool, orders, days, (done) => generating.update(done));
    generating.finish();
    const generateSeconds = (performance.now() - generateStarted) / 1000;

    // The projector's periodic work: the materialised rollups refreshed, the trigger-kept ones compacted.
    const refreshStarted = performance.now();
    await refreshReportRollups(database.pool);
    const refreshSeconds = (performance.now() - refreshStarted) / 1000;
    await database.pool.query('vacuum analyze');

    const results: Measured[] = [];
    const measuring = progress('reports measured', REPORT_NAMES.length * SINCES.length);
    for (const report of REPORT_NAMES) {
      for (const since of SINCES) {
        results.push(await measure(analyst, report, since, runs));
        measuring.update(results.length, report);
      }
    }
    measuring.finish();

    const size = (await database.pool.query<{ size: string }>('select pg_size_pretty(pg_database_size(current_database())) as size')).rows[0]!.size;
    const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, load average ${os.loadavg().map((load) => load.toFixed(1)).join(' ')}`;
    console.log(`\n${orders.toLocaleString('en')} orders over ${days} days (${size}); generated in ${generateSeconds.toFixed(0)} s; rollups refreshed and compacted in ${refreshSeconds.toFixed(1)} s; ${machine}\n`);
    console.log(`| report | ${SINCES.map((since) => `${since}, ms`).join(' | ')} | indexes its plans use | sequential scans |`);
    console.log(`|---|${SINCES.map(() => '---|').join('')}---|---|`);
    for (const report of REPORT_NAMES) {
      const measured = results.filter((result) => result.report === report);
      const cells = measured.map((result) => `${result.medianMs.toFixed(0)}${result.medianMs > LIMIT_MS ? ' **over 1 s**' : ''}`);
      const indexes = [...new Set(measured.flatMap((result) => result.indexes))].map((index) => `\`${index}\``);
      const scans = [...new Set(measured.flatMap((result) => result.scans))];
      console.log(`| \`${report}\` | ${cells.join(' | ')} | ${indexes.join(', ') || '—'} | ${scans.join(', ') || '—'} |`);
    }
    const slowest = results.reduce((worst, result) => (result.medianMs > worst.medianMs ? result : worst));
    console.log(`\nslowest: ${slowest.report} since ${slowest.since}, ${slowest.medianMs.toFixed(0)} ms (limit ${LIMIT_MS} ms)`);
    mkdirSync(out, { recursive: true });
    const file = path.join(out, 'reports-latest.json');
    writeFileSync(file, `${JSON.stringify({ at: new Date().toISOString(), orders, days, size, generateSeconds, refreshSeconds, machine, runs, results }, null, 2)}\n`);
    console.error(`\nwrote ${path.relative(REPO_ROOT, file)}`);
  } finally {
    await analyst.end();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
