import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/app-config';
import { REPORT_NAMES, type Report, type ReportName } from '../../contracts/reports';
import { REPO_ROOT } from '../../stack/stack-home';
import { reportColumns, runReport } from './report-queries';
import { createReportDatabase, type ReportDatabase } from './testing/report-database';

/** `npm run report` as a user runs it: a process of its own, through the analyst role, on a read model of known orders. */

const run = promisify(execFile);
const config = loadConfig();
let database: ReportDatabase;

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

async function report(...args: string[]): Promise<CliRun> {
  // Node with tsx's loader, as `npm run report` runs it; DATABASE_URL points the analyst at the scratch database.
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: database.url };
  delete env.DATABASE_ANALYST_URL;
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'projections', 'reports', 'cli.ts'), ...args], { cwd: REPO_ROOT, env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** A few at a time: each is a Node process with its own TypeScript loader. */
async function inBatches<Item, Result>(items: readonly Item[], size: number, work: (item: Item) => Promise<Result>): Promise<Result[]> {
  const results: Result[] = [];
  for (let start = 0; start < items.length; start += size) results.push(...(await Promise.all(items.slice(start, start + size).map(work))));
  return results;
}

beforeAll(async () => {
  database = await createReportDatabase(config.database.url, { prefix: 'report_cli_test' });
});

afterAll(async () => {
  await database?.drop();
});

describe('npm run report', () => {
  it('names every report with one line each', async () => {
    const { code, stdout } = await report('--list');
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines.map((line) => line.split(' ')[0])).toEqual(REPORT_NAMES);
    expect(lines[0]).toMatch(/^popular-items +Drinks per tea, pearl, topping and sugar level.*\(view reporting\.popular_items\)$/);
  });

  it('prints every report as JSON, CSV and a table, with the rows the report query gives', async () => {
    const runs = await inBatches(
      REPORT_NAMES.flatMap((name) => (['json', 'csv', 'table'] as const).map((format) => ({ name, format }))),
      4,
      async ({ name, format }) => ({ name, format, ...(await report(name, '--since', 'all', '--format', format)) }),
    );
    for (const { name, format, code, stdout, stderr } of runs) {
      expect({ name, format, code, stderr }).toEqual({ name, format, code: 0, stderr: '' });
      const expected = await runReport(database.pool, name, null);
      expect(expected.rows.length, name).toBeGreaterThan(0);
      if (format === 'json') expect(JSON.parse(stdout) as Report, name).toEqual(expected);
      if (format === 'csv') expect(stdout, name).toBe(csvOf(name, expected.rows));
      if (format === 'table') {
        const lines = stdout.trimEnd().split('\n');
        expect(lines[0], name).toMatch(new RegExp(`^${name}: .*; (orders placed|payments and refunds made) at any time$`));
        expect(lines[2]!.split(/ +/), name).toEqual(reportColumns(name));
        expect(lines[3], name).toMatch(/^-+( +-+)*$/);
        expect(lines.slice(4), name).toHaveLength(expected.rows.length);
      }
    }
    // 39 processes, each loading TypeScript: minutes on a busy machine.
  }, 400_000);

  it('lines a table up: text on the left, numbers on the right', async () => {
    const { stdout } = await report('stage-durations', '--since', '2025-01-01');
    expect(stdout).toBe(
      [
        'stage-durations: Seconds per stage (label, mix, top, placed to ready): p50, p95, p99 and max; orders placed since 2025-01-01T00:00:00.000Z',
        '',
        'stage            orders  p50   p95    p99  max',
        '---------------  ------  ---  ----  -----  ---',
        'label                 7    2   4.7   4.94    5',
        'mix                   5    4     9    9.8   10',
        'top                   5    2   7.6   7.92    8',
        'placed-to-ready       5   10  15.4  15.88   16',
        '',
      ].join('\n'),
    );
  });

  it('counts the last 24 hours unless told otherwise', async () => {
    const { code, stdout } = await report('failures');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^failures: .*; orders placed since \d{4}-\d\d-\d\dT[\d:.]+Z\n\n\(no rows\)\n$/);
  });

  it.each([
    [['no-such-report'], /No report named no-such-report\. Reports:\npopular-items /],
    [['failures', '--format', 'xml'], /--format: expected one of table, json, csv, got xml/],
    [['failures', '--since', 'soon'], /--since: expected a span such as 30m/],
    [['failures', '--colour'], /Unknown option '--colour'/],
    [[], /npm run report -- <name>/],
  ])('refuses %o with exit code 2, saying why', async (args, message) => {
    const { code, stderr } = await report(...args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });
});

function csvOf(name: ReportName, rows: unknown[]): string {
  const columns = reportColumns(name);
  const cell = (value: unknown) => (value === null ? '' : /[",]/.test(String(value)) ? `"${String(value).replaceAll('"', '""')}"` : String(value));
  return [columns.join(','), ...rows.map((row) => columns.map((column) => cell((row as Record<string, unknown>)[column])).join(','))].map((line) => `${line}\r\n`).join('');
}
