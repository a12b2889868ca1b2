import type { FaultSuiteOptions } from './options';
import type { FaultWaits } from './fault-waits';
import type { OrderProblem } from './read-model-check';

/* What one run of the fault suite found: printed as a table, written as JSON. */

export interface UnexpectedExit {
  /** A role (`station:mix`) or a server (`postgres`). */
  process: string;
  pid: number | undefined;
  code: number | null;
  signal: string | null;
  at: string;
  /** The fault whose window it happened in ('warm-up', 'drain' or a fault's name). */
  during: string;
  logFile: string;
  lastLines: string[];
}

export interface OrderRecord {
  orderId: string;
  requestedAt: string;
  acceptedAt?: string;
  attempts: number;
  /** Its status in the read model at the end, 'missing' if it has no row, 'refused' if it never got a 202. */
  status: string;
  /** When the read model showed it ready or refunded. */
  finishedAt?: string;
}

export interface FaultOutcome extends FaultWaits {
  kind: 'role' | 'server' | 'baseline';
  /** The kill (for the warm-up: the start of the load). */
  startedAt: string;
  killedPid?: number;
  /** From the kill until the role said it was running again, or the server was ready; absent if it never came back. */
  backAfterMs?: number;
  /** Failed restarts, with their reasons. */
  restartProblems: string[];
  unexpectedExits: number;
}

export interface FaultSuiteResult {
  startedAt: string;
  finishedAt: string;
  customerId: string;
  /** The options the run was given, faults by name. */
  settings: Omit<FaultSuiteOptions, 'faults' | 'jsonFile' | 'logsDir'> & { faults: string[] };
  logs: { roles: string; servers: string };
  orders: { placed: number; accepted: number; refused: number; reads: number; failedReads: number };
  /** The warm-up without faults, then one row per fault. */
  faults: FaultOutcome[];
  faultsInjected: number;
  /** Slower than this (the warm-up's slowest order plus a second), an order counts as affected. */
  affectedAfterMs: number;
  drain: { finished: boolean; seconds: number };
  unexpectedExits: UnexpectedExit[];
  invariants: {
    ordersChecked: number;
    lost: number;
    doubleApplied: number;
    mismatches: number;
    /** The first few problems of each kind; the counts above are complete. */
    examples: { lost: OrderProblem[]; doubleApplied: OrderProblem[]; mismatches: OrderProblem[] };
  };
  /** Every order the load tried to place, for a closer look. */
  orderRecords: OrderRecord[];
  /** Every broken invariant in one sentence each; empty when the run passed. */
  failures: string[];
  passed: boolean;
}

/** Each broken invariant as a sentence. */
export function failuresOf(result: Omit<FaultSuiteResult, 'failures' | 'passed'>): string[] {
  const failures: string[] = [];
  const { lost, doubleApplied, mismatches } = result.invariants;
  if (lost > 0) failures.push(`${lost} accepted order(s) did not reach ready or refunded in the read model`);
  if (doubleApplied > 0) failures.push(`${doubleApplied} event(s) applied more than once`);
  if (mismatches > 0) failures.push(`${mismatches} order(s) in the read model differ from the fold of the topic`);
  for (const exit of result.unexpectedExits) {
    failures.push(`${exit.process} (pid ${exit.pid ?? '?'}) exited by itself (${exit.signal ?? `code ${exit.code}`}) during ${exit.during}`);
  }
  for (const fault of result.faults) {
    if (fault.kind === 'baseline') continue;
    if (fault.backAfterMs === undefined) failures.push(`${fault.fault} did not come back after the kill: ${fault.restartProblems.join('; ') || 'no restart'}`);
    else if (fault.restartProblems.length > 0) failures.push(`${fault.fault} came back only after ${fault.restartProblems.length} failed restart(s): ${fault.restartProblems[0]}`);
  }
  return failures;
}
