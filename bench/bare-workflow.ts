import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';

/*
 * The floor the shop is measured against: a workflow that does nothing but the shop's Temporal round trips.
 * Each step is a no-op activity on a task queue (a round trip through the server) or a local one (none).
 */

export type BareStep = { taskQueue: string } | 'local';

interface BareActivities {
  noop(): Promise<void>;
}

const local = proxyLocalActivities<BareActivities>({ startToCloseTimeout: '30 seconds' });

export async function bareWorkflow(steps: BareStep[]): Promise<void> {
  for (const step of steps) {
    if (step === 'local') await local.noop();
    else await proxyActivities<BareActivities>({ taskQueue: step.taskQueue, startToCloseTimeout: '30 seconds' }).noop();
  }
}
