import { isGrpcServiceError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow';
import { optionalTsToDate } from '@temporalio/common/lib/time';
import type { OrderWorkflowInput } from '../workflows/order-definitions';

const GRPC_NOT_FOUND = 5;

export interface OrderWorkflowStart {
  input: OrderWorkflowInput;
  startedAt: Date;
  /** Whether a worker has completed a workflow task yet; until then the order can only be as placed. */
  hasRun: boolean;
}

/**
 * The input an order workflow was started with, read from its first history event: it is there from the
 * moment the workflow exists, with or without a worker running. Throws WorkflowNotFoundError if none exists.
 */
export async function readOrderWorkflowStart(client: Client, workflowId: string): Promise<OrderWorkflowStart> {
  const history = await client.workflow
    .getHandle(workflowId)
    .fetchHistory()
    .catch((error: unknown) => {
      // fetchHistory passes the server's NOT_FOUND through as is, unlike describe and query.
      if (isGrpcServiceError(error) && error.code === GRPC_NOT_FOUND) throw new WorkflowNotFoundError(error.details, workflowId, undefined);
      throw error;
    });
  const first = history.events?.[0];
  const started = first?.workflowExecutionStartedEventAttributes;
  if (!first || !started) throw new Error(`Workflow ${workflowId} has no start event in its history`);
  const input = await decodeFromPayloadsAtIndex<OrderWorkflowInput>(client.options.loadedDataConverter, 0, started.input?.payloads);
  const hasRun = history.events!.some((event) => event.workflowTaskCompletedEventAttributes);
  return { input, startedAt: optionalTsToDate(first.eventTime) ?? new Date(), hasRun };
}
