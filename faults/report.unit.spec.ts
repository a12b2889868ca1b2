import { describe, expect, it } from 'vitest';
import type { FaultOutcome, FaultSuiteResult } from './fault-suite-result';
import { formatReport } from './report';

const waits = { ordersInFlight: 4, ordersAffected: 0, longestWaitMs: 2100, unfinished: 0, refused: 0, failedReads: 0, readModelFreshAfterMs: 0 };
const row = (fault: string, extra: Partial<FaultOutcome>): FaultOutcome => ({
  ...waits,
  fault,
  kind: 'role',
  startedAt: '2026-01-01T00:00:00.000Z',
  restartProblems: [],
  unexpectedExits: 0,
  ...extra,
});

const result: FaultSuiteResult = {
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:05:00.000Z',
  customerId: 'faults-test',
  settings: { faults: ['postgres'], ratePerSecond: 1, warmupSeconds: 10, faultSeconds: 20, recoverSeconds: 60, downSeconds: 2, drainSeconds: 90, stationTimeScale: 0.1 },
  logs: { roles: 'faults/results/logs', servers: '.stack/logs' },
  orders: { placed: 30, accepted: 29, refused: 1, reads: 30, failedReads: 3 },
  faults: [
    row('warm-up', { kind: 'baseline' }),
    row('postgres', { kind: 'server', backAfterMs: 5100, recoveredAfterMs: 18_100, ordersAffected: 3, longestWaitMs: 136_300, unfinished: 1, refused: 1, failedReads: 3, unexpectedExits: 1 }),
  ],
  faultsInjected: 1,
  affectedAfterMs: 3100,
  drain: { finished: false, seconds: 90 },
  unexpectedExits: [
    {
      process: 'api',
      pid: 42,
      code: 1,
      signal: null,
      at: '2026-01-01T00:02:00.000Z',
      during: 'postgres',
      logFile: 'faults/results/logs/api.log',
      lastLines: ["      throw er; // Unhandled 'error' event", 'error: terminating connection due to unexpected postmaster exit', '    at Client.idleListener', 'Node.js v20.20.2'],
    },
  ],
  invariants: { ordersChecked: 30, lost: 1, doubleApplied: 0, mismatches: 0, examples: { lost: [{ orderId: 'o-1', problem: 'still labelled (sequence 2)' }], doubleApplied: [], mismatches: [] } },
  orderRecords: [],
  failures: ['1 accepted order(s) did not reach ready or refunded in the read model', 'api (pid 42) exited by itself (code 1) during postgres'],
  passed: false,
};

describe('the fault suite report', () => {
  const report = formatReport(result).split('\n');

  it('prints one row per fault under the header, the warm-up first', () => {
    const header = report.findIndex((line) => line.startsWith('fault '));
    expect(report[header]).toMatch(/^fault\s+back after\s+recovered after\s+in flight\s+affected\s+longest wait\s+read model fresh after\s+refused\s+failed reads\s+unexpected exits$/);
    expect(report[header + 2]!.split(/\s{2,}/)).toEqual(['(warm-up)', '4', '0', '2.1s', '0.0s', '0', '0', '0']);
    expect(report[header + 3]!.split(/\s{2,}/)).toEqual(['postgres', '5.1s', '18.1s', '4', '3', '136.3s +1 unfinished', '0.0s', '1', '3', '1']);
  });

  it('ends with the totals, the problems with the crash reason, and the verdict', () => {
    expect(report).toContain('orders placed 30 (accepted 29, refused 1), faults injected 1, lost 1, double-applied 0, mismatches 0, unexpected exits 1');
    expect(report).toContain('  lost: order o-1: still labelled (sequence 2)');
    expect(report).toContain('  exit: api pid 42 during postgres: error: terminating connection due to unexpected postmaster exit (faults/results/logs/api.log)');
    expect(report).toContain('FAILED:');
  });
});
