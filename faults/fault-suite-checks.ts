import path from 'node:path';
import type { Kafka } from 'kafkajs';
import type pg from 'pg';
import { FINAL_STATUSES } from '../contracts/order-state';
import type { Fault } from './fault-plan';
import { failuresOf, type FaultOutcome, type FaultSuiteResult, type OrderRecord, type UnexpectedExit } from './fault-suite-result';
import { affectedThresholdMs, faultWaits, type FaultWindow, type OrderTimes } from './fault-waits';
import type { FaultSuiteOptions } from './options';
import { readOrderEventsTopic } from '../projections/order-log';
import type { OrderLoad } from './order-load';
import { checkReadModel } from './read-model-check';
import { appliedEventsOf, orderStatesOf } from './read-model-queries';

const EXAMPLES = 10;

/** What happened during a run, before anything is checked. */
export interface FaultRun {
  options: FaultSuiteOptions;
  startedAt: Date;
  customerId: string;
  serverLogsDir: string;
  load: OrderLoad;
  /** The warm-up, then one window per fault. */
  windows: FaultWindow[];
  injected: Array<{ fault: Fault; killedPid?: number; backAfterMs?: number; restartProblems: string[] }>;
  unexpectedExits: UnexpectedExit[];
  drain: FaultSuiteResult['drain'];
}

/** Reads the topic and the read model after the drain and turns the run into the suite's result. */
export async function checkFaultRun(run: FaultRun, pool: pg.Pool, kafka: Kafka): Promise<FaultSuiteResult> {
  const { load, customerId, options } = run;
  const acceptedIds = new Set(load.orders.filter((order) => order.outcome === 'accepted').map((order) => order.orderId));
  const topic = await readOrderEventsTopic(kafka, (placed) => placed.data.customerId === customerId || acceptedIds.has(placed.orderId));
  const rows = await orderStatesOf(pool, [...acceptedIds], customerId);
  const runOrderIds = [...new Set([...acceptedIds, ...rows.keys(), ...topic.events.map((event) => event.orderId)])];
  const applied = await appliedEventsOf(pool, runOrderIds);
  const check = checkReadModel({ acceptedOrderIds: [...acceptedIds], topicEvents: topic.events, rows, appliedEventRows: applied });
  for (const orderId of topic.unreadable) check.mismatches.push({ orderId, problem: 'a message of this order in the topic is not a valid event' });

  const lastEventAt = new Map<string, number>();
  for (const event of topic.events) lastEventAt.set(event.orderId, Math.max(lastEventAt.get(event.orderId) ?? 0, Date.parse(event.occurredAt)));
  // An order is ready for its customer when the read model says so: when its last event was applied.
  const appliedAt = new Map(applied.map((event) => [`${event.orderId}#${event.sequence}`, event.appliedAt]));
  const finishedAt = new Map<string, number>();
  for (const [orderId, state] of rows) {
    const at = appliedAt.get(`${orderId}#${state.lastSequence}`);
    if (FINAL_STATUSES.has(state.status) && at !== undefined) finishedAt.set(orderId, at);
  }
  const orderTimes: OrderTimes[] = load.orders.map((order) => ({
    requestedAt: order.requestedAt,
    accepted: order.outcome === 'accepted',
    terminalAt: finishedAt.get(order.orderId),
    lastProgressAt: lastEventAt.get(order.orderId) ?? order.requestedAt,
  }));
  const affectedAfterMs = affectedThresholdMs(run.windows[0]!, orderTimes);
  const waits = faultWaits(run.windows, orderTimes, applied, load.reads, { affectedAfterMs });
  const faults: FaultOutcome[] = waits.map((wait, index) => {
    const injected = index === 0 ? undefined : run.injected[index - 1];
    return {
      ...wait,
      kind: injected?.fault.kind ?? 'baseline',
      startedAt: new Date(run.windows[index]!.startsAt).toISOString(),
      killedPid: injected?.killedPid,
      backAfterMs: injected?.backAfterMs,
      restartProblems: injected?.restartProblems ?? [],
      unexpectedExits: run.unexpectedExits.filter((exit) => exit.during === wait.fault).length,
    };
  });

  const orderRecords: OrderRecord[] = load.orders.map((order) => {
    const finished = finishedAt.get(order.orderId);
    return {
      orderId: order.orderId,
      requestedAt: new Date(order.requestedAt).toISOString(),
      ...(order.acceptedAt ? { acceptedAt: new Date(order.acceptedAt).toISOString() } : {}),
      attempts: order.attempts,
      status: order.outcome === 'refused' ? 'refused' : (rows.get(order.orderId)?.status ?? 'missing'),
      ...(finished ? { finishedAt: new Date(finished).toISOString() } : {}),
    };
  });
  const counts = load.counts();
  const partial = {
    startedAt: run.startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    customerId,
    settings: {
      faults: options.faults.map((fault) => fault.name),
      ratePerSecond: options.ratePerSecond,
      warmupSeconds: options.warmupSeconds,
      faultSeconds: options.faultSeconds,
      recoverSeconds: options.recoverSeconds,
      downSeconds: options.downSeconds,
      drainSeconds: options.drainSeconds,
      stationTimeScale: options.stationTimeScale,
    },
    logs: { roles: path.relative(process.cwd(), options.logsDir) || '.', servers: path.relative(process.cwd(), run.serverLogsDir) },
    orders: {
      placed: counts.placed,
      accepted: counts.accepted,
      refused: counts.refused,
      reads: load.reads.length,
      failedReads: load.reads.filter((read) => !read.ok).length,
    },
    faults,
    faultsInjected: run.injected.filter((outcome) => outcome.killedPid !== undefined).length,
    affectedAfterMs,
    drain: run.drain,
    unexpectedExits: run.unexpectedExits,
    invariants: {
      ordersChecked: check.ordersChecked,
      lost: check.lost.length,
      doubleApplied: check.doubleApplied.length,
      mismatches: check.mismatches.length,
      examples: { lost: check.lost.slice(0, EXAMPLES), doubleApplied: check.doubleApplied.slice(0, EXAMPLES), mismatches: check.mismatches.slice(0, EXAMPLES) },
    },
    orderRecords,
  };
  const failures = failuresOf(partial);
  return { ...partial, failures, passed: failures.length === 0 };
}
