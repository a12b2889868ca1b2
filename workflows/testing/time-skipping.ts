import { Context } from '@temporalio/activity';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import proto from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { SEARCH_ATTRIBUTES } from '../search-attributes';
import { stackHome } from '../../stack/stack-home';
import { temporalTestServerPath } from '../../stack/temporal-test-server';
import { installRuntimeLoggingTo } from './sdk-log-to-file';

/**
 * Workflow unit tests on Temporal's time-skipping test server: timers of minutes pass in milliseconds, the
 * activities are plain functions of the test, and nothing else runs (no dev stack). The server is the one
 * the stack installs (stack/temporal-test-server.ts), so nothing is downloaded here.
 */
export interface TimeSkipping {
  env: TestWorkflowEnvironment;
  /**
   * Lets `ms` of the server's time pass inside a running activity, heartbeating as a station does, so a long
   * station takes no real time and still keeps its heartbeat timeout; ends early once the activity is cancelled.
   */
  workFor(ms: number): Promise<void>;
  /** Keeps a running activity busy (heartbeating, in real time) until `release` resolves or it is cancelled. */
  holdUntil(release: Promise<unknown>): Promise<void>;
  stop(): Promise<void>;
}

/** Workers by task queue: the activities each one runs (the first also runs the workflows). */
export type QueueActivities = Record<string, object>;

const STEP_MS = 1000;

/** The SDK gives an installed server 5 s to start, which a loaded machine may miss: one more try. */
async function startServer(): Promise<TestWorkflowEnvironment> {
  const start = () =>
    TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: temporalTestServerPath(stackHome().toolsDir) } } });
  return start().catch(start);
}

export async function startTimeSkipping(workflowsPath: string, queues: QueueActivities): Promise<TimeSkipping> {
  installRuntimeLoggingTo('workflow-unit-tests');
  const env = await startServer();
  // The workflow keeps the order's search attributes up to date, and the server refuses ones it does not know.
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(Object.values(SEARCH_ATTRIBUTES).map((key) => [key.name, proto.temporal.api.enums.v1.IndexedValueType[`INDEXED_VALUE_TYPE_${key.type}`]])),
  });
  const [workflowQueue, ...activityQueues] = Object.keys(queues);
  // Heartbeats go out at once, so each skipped second of a long station is covered by one.
  const common = { connection: env.nativeConnection, maxHeartbeatThrottleInterval: 1, shutdownGraceTime: '1 second' };
  const workers = await Promise.all([
    Worker.create({ ...common, taskQueue: workflowQueue!, workflowsPath, activities: queues[workflowQueue!] }),
    ...activityQueues.map((taskQueue) => Worker.create({ ...common, taskQueue, activities: queues[taskQueue] })),
  ]);
  const running = workers.map((worker) => worker.run());
  return {
    env,
    async workFor(ms) {
      const context = Context.current();
      for (let left = ms; left > 0 && !context.cancellationSignal.aborted; left -= STEP_MS) {
        context.heartbeat();
        await new Promise((resolve) => setTimeout(resolve, 20));
        await Promise.race([env.sleep(Math.min(left, STEP_MS)), context.cancelled.catch(() => undefined)]);
      }
    },
    async holdUntil(release) {
      const context = Context.current();
      let released = false;
      void release.then(() => (released = true));
      while (!released && !context.cancellationSignal.aborted) {
        context.heartbeat();
        await Promise.race([release, new Promise((resolve) => setTimeout(resolve, 200)), context.cancelled.catch(() => undefined)]);
      }
    },
    async stop() {
      for (const worker of workers) worker.shutdown();
      await Promise.all(running);
      await env.teardown();
    },
  };
}
