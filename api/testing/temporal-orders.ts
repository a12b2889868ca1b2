import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import { orderWorkflowId } from '../../contracts/ids';

/* Test helpers around the real Temporal server: count an order's runs, and clean up the orders a test placed. */

export async function runsOfOrder(client: Client, orderId: string): Promise<string[]> {
  const runIds: string[] = [];
  for await (const execution of client.workflow.list({ query: `WorkflowId = "${orderWorkflowId(orderId)}"` })) runIds.push(execution.runId);
  return runIds;
}

export async function terminateOrders(client: Client, orderIds: Iterable<string>): Promise<void> {
  await Promise.all(
    [...orderIds].map(async (orderId) => {
      try {
        await client.workflow.getHandle(orderWorkflowId(orderId)).terminate('api test finished');
      } catch (error) {
        // Already closed (terminated by the test itself) or never started: nothing to clean up.
        if (!(error instanceof WorkflowNotFoundError)) throw error;
      }
    }),
  );
}
