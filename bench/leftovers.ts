import { Client } from '@temporalio/client';
import type { AppConfig } from '../config/app-config';
import { connectTemporal } from '../config/clients';

/**
 * Workflows an interrupted bench left running in its namespace would compete with the next run's orders:
 * they are terminated first, so every run starts from a drained server.
 */
export async function terminateLeftovers(config: AppConfig): Promise<number> {
  const connection = await connectTemporal(config);
  try {
    const client = new Client({ connection, namespace: config.temporal.namespace });
    let terminated = 0;
    for await (const workflow of client.workflow.list({ query: 'ExecutionStatus="Running"' })) {
      await client.workflow.getHandle(workflow.workflowId, workflow.runId).terminate('left running by an earlier bench run').catch(() => undefined);
      terminated += 1;
    }
    if (terminated > 0) console.error(`terminated ${terminated} workflow(s) left running by an earlier bench run`);
    return terminated;
  } finally {
    await connection.close();
  }
}
