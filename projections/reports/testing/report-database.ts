import type pg from 'pg';
import { createScratchDatabase, type ScratchDatabase } from '../../testing/scratch-database';
import { refreshReportRollups } from '../rollups';
import { applyPlans, REPORT_DAY, type OrderPlan } from './report-fixtures';

/** A read model holding known orders for the reports' tests: REPORT_DAY unless told otherwise. */

/** Applies `plans` with the projector's own code (one transaction, as from one partition), then refreshes the rollups as the projector does. Returns each order's id. */
export async function fillReadModel(pool: pg.Pool, plans: Record<string, OrderPlan> = REPORT_DAY): Promise<Record<string, string>> {
  const client = await pool.connect();
  let ids: Record<string, string>;
  try {
    ids = await applyPlans(client, plans);
  } finally {
    client.release();
  }
  await refreshReportRollups(pool);
  return ids;
}

export interface ReportDatabase extends ScratchDatabase {
  ids: Record<string, string>;
}

/** A scratch database (dropped by `drop()`) holding `plans`. */
export async function createReportDatabase(serverUrl: string, options: { prefix: string; plans?: Record<string, OrderPlan> }): Promise<ReportDatabase> {
  const database = await createScratchDatabase(serverUrl, { prefix: options.prefix });
  try {
    return { ...database, ids: await fillReadModel(database.pool, options.plans) };
  } catch (error) {
    await database.drop();
    throw error;
  }
}
