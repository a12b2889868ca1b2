import { parseArgs } from 'node:util';
import pino from 'pino';
import { loadConfig } from '../../config/app-config';
import { createPgPool } from '../../config/clients';
import { DEFAULT_SINCE, isReportName, parseSince, REPORT_NAMES, REPORTS } from '../../contracts/reports';
import { formatReport, REPORT_FORMATS, type ReportFormat } from './report-format';
import { runReport } from './report-queries';

/** `npm run report -- <name> [--since 1h|2026-11-01|all] [--format table|json|csv]`, read through the analyst role. */

const USAGE = `npm run report -- <name> [--since ${DEFAULT_SINCE}] [--format table|json|csv]
npm run report -- --list

--since   count the orders placed (money reports: paid and refunded) since: 30m, 1h, 7d, 2w, a day
          (2026-11-01, UTC), a moment (2026-11-01T09:30:00Z), or all (default ${DEFAULT_SINCE})
--format  table (default), json or csv`;

function list(): string {
  const width = Math.max(...REPORT_NAMES.map((name) => name.length));
  return REPORT_NAMES.map((name) => `${name.padEnd(width)}  ${REPORTS[name].summary} (view reporting.${REPORTS[name].view})`).join('\n');
}

/** A refused login most likely means the projector has not run yet, which is what gives the analyst its password. */
function explain(error: unknown): string {
  const { message, code } = error as { message: string; code?: string };
  if (code === '28P01' || code === '28000') {
    return `${message}\nThe analyst role logs in with DATABASE_ANALYST_PASSWORD once the projector has started (npm start) and set it.`;
  }
  if (code === 'ECONNREFUSED') return `${message}\nIs PostgreSQL running? (npm run stack -- up)`;
  return message;
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { since: { type: 'string' }, format: { type: 'string' }, list: { type: 'boolean' }, help: { type: 'boolean' } } });
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) return (console.log(USAGE), 0);
  if (values.list) return (console.log(list()), 0);
  const [name, ...extra] = positionals;
  if (name === undefined || extra.length > 0) return (console.error(`${USAGE}\n\nReports:\n${list()}`), 2);
  if (!isReportName(name)) return (console.error(`No report named ${name}. Reports:\n${list()}`), 2);
  const format = (values.format ?? 'table') as ReportFormat;
  if (!REPORT_FORMATS.includes(format)) return (console.error(`--format: expected one of ${REPORT_FORMATS.join(', ')}, got ${values.format}`), 2);
  const since = parseSince(values.since ?? DEFAULT_SINCE);
  if (since instanceof Error) return (console.error(`--since: ${since.message}`), 2);

  const pool = createPgPool(loadConfig().database.analystUrl, pino({ level: 'silent' }));
  try {
    process.stdout.write(formatReport(await runReport(pool, name, since), format));
    return 0;
  } catch (error) {
    console.error(explain(error));
    return 1;
  } finally {
    await pool.end();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
