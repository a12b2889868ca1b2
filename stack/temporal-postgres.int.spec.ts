import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_STACK_DEFAULTS, loadConfig, loadStackTemporal } from '../config/app-config';
import { SEARCH_ATTRIBUTES } from '../contracts/search-attributes';
import { runGreeting } from './testing/run-greeting';
import { waitUntil } from './processes';

/** Runs only on the stack's second Temporal flavour (`STACK_TEMPORAL=postgres`), which takes a Go build. */
const config = loadConfig();

async function queryTemporalDatabase(database: 'temporal' | 'temporal_visibility', sql: string, params: unknown[]): Promise<number> {
  const client = new pg.Client({
    host: '127.0.0.1',
    port: config.stack.POSTGRES_PORT,
    user: LOCAL_STACK_DEFAULTS.POSTGRES_USER,
    password: LOCAL_STACK_DEFAULTS.POSTGRES_PASSWORD,
    database,
  });
  await client.connect();
  try {
    const { rows } = await client.query<{ count: string }>(sql, params);
    return Number(rows[0]!.count);
  } finally {
    await client.end();
  }
}

describe.skipIf(loadStackTemporal() !== 'postgres')('Temporal server on the stack PostgreSQL', () => {
  let connection: Connection;
  beforeAll(async () => {
    connection = await Connection.connect({ address: config.temporal.address });
  });
  afterAll(async () => {
    await connection?.close();
  });

  it('runs a workflow to completion and keeps it in PostgreSQL', async () => {
    const { workflowId, result } = await runGreeting(config.temporal.address, 'brown sugar');
    expect(result).toBe('one brown sugar bubble tea, coming up');

    const cluster = await connection.workflowService.getClusterInfo({});
    expect({ persistence: cluster.persistenceStore, visibility: cluster.visibilityStore }).toEqual({ persistence: 'postgres12', visibility: 'postgres12' });
    expect(await queryTemporalDatabase('temporal', 'select count(*) from executions where workflow_id = $1', [workflowId])).toBe(1);
  });

  it('finds workflows by the order search attributes (advanced visibility on PostgreSQL)', async () => {
    const client = new Client({ connection, namespace: config.temporal.namespace });
    const customerId = `visibility-${randomUUID()}`;
    // No worker polls this queue: the workflow stays running, which is all a visibility query needs.
    const handle = await client.workflow.start('greetingWorkflow', {
      taskQueue: `nobody-polls-${randomUUID()}`,
      workflowId: `visibility-${randomUUID()}`,
      args: ['taro'],
      typedSearchAttributes: [
        { key: SEARCH_ATTRIBUTES.CustomerId, value: customerId },
        { key: SEARCH_ATTRIBUTES.DrinkCount, value: 3 },
        { key: SEARCH_ATTRIBUTES.SlaBreached, value: false },
      ],
    });
    try {
      const found: string[] = [];
      await waitUntil(
        async () => {
          found.length = 0;
          for await (const execution of client.workflow.list({ query: `CustomerId = "${customerId}" AND DrinkCount > 2 AND SlaBreached = false` })) {
            found.push(execution.workflowId);
          }
          return found.length > 0;
        },
        { timeoutMs: 30_000, intervalMs: 500, onTimeout: () => new Error(`workflow ${handle.workflowId} never appeared in visibility`) },
      );
      expect(found).toEqual([handle.workflowId]);
      expect(await queryTemporalDatabase('temporal_visibility', 'select count(*) from executions_visibility where workflow_id = $1', [handle.workflowId])).toBe(1);
    } finally {
      await handle.terminate('test over');
    }
  });
});
