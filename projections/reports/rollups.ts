import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { withClient } from '../with-client';

/**
 * The reports' rollups, and what the projector does for them now and then.
 *
 * Most are tables kept by triggers in the projector's own transaction (migration 0009): exact at every commit,
 * whatever `since`, and rebuilt with the read model by the same triggers. Chosen over more materialized views,
 * which recompute everything at each refresh (a minute at a million orders) and lag behind it, and over code in
 * the projector, which a rebuild, a backfill and the bench's generated orders would each need to call: a
 * trigger sees every write to `orders` and `order_events`, whoever makes it. Each statement appends deltas, so
 * concurrent transactions never wait on a shared counter; `compactReportRollups` sums them now and then.
 *
 * The two materialised hourly rollups of migration 0005 (popular items, stage-time percentiles per hour) and the
 * hour they end at are refreshed together in one transaction. `concurrently`: readers keep the previous rollups while the new
 * ones are computed, and see all three change at once. The views over them add the hours after the rollups
 * from the live rows, so a report is exact whenever the rollups were refreshed; refreshing only keeps that
 * live part short (an hour or two of orders) and takes in events that landed late for an hour already rolled up.
 */

const ROLLUPS = ['reporting.rollup_coverage', 'reporting.item_counts_rollup', 'reporting.stage_durations_rollup'] as const;

/** Each rollup table of migration 0009: the columns that key it, and how its other columns add up. */
const COMPACTED: ReadonlyArray<{ table: string; key: string[]; sums: string[]; maxes?: string[] }> = [
  { table: 'report_order_hours', key: ['hour', 'drinks'], sums: ['orders'] },
  { table: 'report_order_minutes', key: ['minute'], sums: ['orders', 'drinks'] },
  { table: 'report_sla_hours', key: ['hour', 'stage'], sums: ['breaches'] },
  { table: 'report_stage_buckets', key: ['day', 'stage', 'bucket'], sums: ['orders'] },
  { table: 'report_customers', key: ['customer_id'], sums: ['orders', 'drinks'], maxes: ['last_order_at'] },
  { table: 'report_customer_days', key: ['day', 'customer_id'], sums: ['orders', 'drinks'], maxes: ['last_order_at'] },
  { table: 'report_customer_teas', key: ['customer_id', 'tea'], sums: ['orders', 'drinks'], maxes: ['last_order_at'] },
  { table: 'report_customer_day_teas', key: ['day', 'customer_id', 'tea'], sums: ['orders', 'drinks'], maxes: ['last_order_at'] },
  { table: 'report_outcome_hours', key: ['hour', 'outcome', 'reason'], sums: ['orders'], maxes: ['last_at'] },
  { table: 'report_refund_hours', key: ['hour', 'day'], sums: ['refunds', 'after_failure', 'after_cancellation', 'drinks'] },
  { table: 'report_money_hours', key: ['hour', 'currency'], sums: ['payments', 'charged_cents', 'refunds', 'refunded_cents'] },
];

/** The SQL that replaces, in one statement, every key's rows by their sum, for the keys with rows added since the last time (a sum of zero goes). */
export function compactionSql({ table, key, sums, maxes = [] }: (typeof COMPACTED)[number]): string {
  const keys = key.join(', ');
  return `with touched as (select distinct ${keys} from ${table} where not compacted),
    gone as (delete from ${table} t using touched where ${key.map((column) => `t.${column} = touched.${column}`).join(' and ')} returning t.*)
    insert into ${table} (${[...key, ...sums, ...maxes].join(', ')}, compacted)
    select ${[keys, ...sums.map((column) => `sum(${column})`), ...maxes.map((column) => `max(${column})`)].join(', ')}, true
    from gone group by ${keys}
    having ${sums.map((column) => `sum(${column}) <> 0`).join(' or ')}`;
}

/**
 * Sums each rollup's new rows into one per key. Any sum is the same before and after, so it needs no lock: a
 * row added meanwhile is simply left for the next time, and two compactions at once each delete, and sum, rows
 * the other did not.
 */
export async function compactReportRollups(pool: Pool): Promise<void> {
  for (const rollup of COMPACTED) await pool.query(compactionSql(rollup));
}

/** Every table migration 0009 keeps with its triggers: a rebuild copies and swaps them with the read model's own. */
export const REPORT_ROLLUP_TABLES = [...COMPACTED.map(({ table }) => table), 'report_stage_times'] as const;

/** Refreshes the materialised rollups, then compacts the others. */
export async function refreshReportRollups(pool: Pool): Promise<void> {
  await refreshMaterializedRollups(pool);
  await compactReportRollups(pool);
}

async function refreshMaterializedRollups(pool: Pool): Promise<void> {
  // A failed refresh's connection is destroyed, which rolls its transaction back.
  await withClient(pool, async (client) => {
    await client.query('begin');
    for (const rollup of ROLLUPS) await client.query(`refresh materialized view concurrently ${rollup}`);
    await client.query('commit');
  });
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
