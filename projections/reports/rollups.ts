import type { Pool } from 'pg';
import type { Logger } from 'pino';

/**
 * The reports' two materialised hourly rollups (popular items, stage-time percentiles) and the hour they end
 * at, refreshed together in one transaction. `concurrently`: readers keep the previous rollups while the new
 * ones are computed, and see all three change at once. The views over them add the hours after the rollups
 * from the live rows, so a report is exact whenever the rollups were refreshed; refreshing only keeps that
 * live part short (an hour or two of orders) and takes in events that landed late for an hour already rolled up.
 */

const ROLLUPS = ['reporting.rollup_coverage', 'reporting.item_counts_rollup', 'reporting.stage_durations_rollup'] as const;

export async function refreshReportRollups(pool: Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    for (const rollup of ROLLUPS) await client.query(`refresh materialized view concurrently ${rollup}`);
    await client.query('commit');
    client.release();
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    client.release(true);
    throw error;
  }
}

export interface RollupRefresher {
  stop(): Promise<void>;
}

/** Refreshes the rollups now and then every `intervalSeconds`; a failed refresh is logged and tried again next time. */
export function startRollupRefresher(pool: Pool, intervalSeconds: number, logger: Logger): RollupRefresher {
  let running: Promise<void> = Promise.resolve();
  const refresh = () => {
    running = running.then(async () => {
      const started = Date.now();
      try {
        await refreshReportRollups(pool);
        logger.debug({ ms: Date.now() - started }, 'report rollups refreshed');
      } catch (error) {
        logger.warn({ err: error }, 'report rollups could not be refreshed; trying again at the next interval');
      }
    });
  };
  refresh();
  const timer = setInterval(refresh, intervalSeconds * 1000);
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
