import type { ConnectionLike } from '@temporalio/client';
import type { Admin } from 'kafkajs';
import type pg from 'pg';
import type { ReadinessChecks } from '../api/api-deps';

/** Cheap real requests to each backing service, for `GET /ready`. */
export function readinessChecks(temporal: ConnectionLike, kafkaAdmin: Admin, pool: pg.Pool): ReadinessChecks {
  return {
    async temporal() {
      await temporal.workflowService.getSystemInfo({});
    },
    async kafka() {
      await kafkaAdmin.describeCluster();
    },
    async postgres() {
      await pool.query('select 1');
    },
  };
}
