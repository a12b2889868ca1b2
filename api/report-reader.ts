import type pg from 'pg';
import type { Report, ReportName } from '../contracts/reports';
import { runReport } from '../projections/reports/report-queries';
import { whileReachable } from '../projections/order-reader';

/** The reports as the API sees them; `since` null is all time. Rejects with ReadModelUnavailableError while PostgreSQL is out of reach. */
export interface ReportReader {
  run<Name extends ReportName>(name: Name, since: Date | null): Promise<Report<Name>>;
}

/** From the reporting views, through the API's read-only role. */
export function pgReportReader(pool: pg.Pool): ReportReader {
  return { run: (name, since) => whileReachable(() => runReport(pool, name, since)) };
}
