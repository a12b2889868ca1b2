import { randomUUID } from 'node:crypto';
import { Client } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { AppConfig } from '../config/app-config';
import { temporalConnectionOptions } from '../config/clients';
import { STATIONS, type Station } from '../contracts/names';
import type { BareStep } from './bare-workflow';
import { closedLoop } from './closed-loop';
import type { Progress } from './progress';
import { perSecond } from './stats';

/* Bare Temporal workflows on the shop's server, with workers like the shop's, for floors measured in the same run. */

const QUEUES = { workflows: 'bench.bare.orders', label: 'bench.bare.label', mix: 'bench.bare.mix', top: 'bench.bare.top' } as const;

export interface BareShape {
  name: string;
  steps: BareStep[];
}

const remote = (station: Station): BareStep => ({ taskQueue: QUEUES[station] });

const publishByActivity: BareStep = { taskQueue: QUEUES.workflows };
/** The charge: an activity on the workflow's own task queue, as the orchestrator runs it. */
const charge: BareStep = { taskQueue: QUEUES.workflows };

/**
 * The Temporal round trips one order of the shop makes: the charge, then each station on its own task queue;
 * each event (placed, paid, labelled, mixed, topped) published by a local activity.
 */
export const SHOP_SHAPE: BareShape = {
  name: 'bare, shop round trips',
  steps: ['local', charge, 'local', remote('label'), 'local', remote('mix'), 'local', remote('top'), 'local'],
};

export const CONTEXT_SHAPES: BareShape[] = [
  {
    name: 'bare, 7 activities',
    steps: [publishByActivity, remote('label'), publishByActivity, remote('mix'), publishByActivity, remote('top'), publishByActivity],
  },
  { name: 'bare, no activity', steps: [] },
];

export interface BareResult {
  name: string;
  workflows: number;
  perSecond: number;
}

export async function runBareWorkflows(
  config: AppConfig,
  shapes: BareShape[],
  options: { workflows: number; inFlight: number; progress: (label: string, total: number) => Progress },
): Promise<BareResult[]> {
  const nativeConnection = await NativeConnection.connect(await temporalConnectionOptions(config));
  // Started eagerly on the workers' own connection, as the shop starts its orders.
  const client = new Client({ connection: nativeConnection, namespace: config.temporal.namespace });
  const noop = { noop: async () => undefined };
  const workers = await Promise.all([
    Worker.create({
      connection: nativeConnection,
      namespace: config.temporal.namespace,
      taskQueue: QUEUES.workflows,
      workflowsPath: new URL('./bare-workflow.ts', import.meta.url).pathname,
      activities: noop,
    }),
    ...STATIONS.map((station) =>
      Worker.create({ connection: nativeConnection, namespace: config.temporal.namespace, taskQueue: QUEUES[station], activities: noop }),
    ),
  ]);
  const running = workers.map((worker) => worker.run());
  try {
    const results: BareResult[] = [];
    for (const shape of shapes) {
      const bar = options.progress(shape.name.slice(0, 28), options.workflows);
      const { elapsedMs } = await closedLoop(options.workflows, options.inFlight, async () => {
        await client.workflow.execute('bareWorkflow', { taskQueue: QUEUES.workflows, workflowId: `bench-bare-${randomUUID()}`, args: [shape.steps], requestEagerStart: true });
      }, (done) => bar.update(done));
      const rate = perSecond(options.workflows, elapsedMs);
      bar.finish(`${rate.toFixed(1)}/s`);
      results.push({ name: shape.name, workflows: options.workflows, perSecond: rate });
    }
    return results;
  } finally {
    workers.forEach((worker) => worker.shutdown());
    await Promise.all(running);
    await nativeConnection.close();
  }
}
