import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../stack/stack-home';
import type { FaultSuiteResult } from './fault-suite-result';

/**
 * `npm run faults` with a small plan, as CI runs it: the roles as separate processes on the test stack,
 * orders placed at a steady rate, and three faults the shop survives today (a killed projector, a killed
 * orchestrator, a Kafka restart). The other faults still break an invariant; see the README.
 */
const PLAN = ['projector', 'orchestrator', 'kafka'];

let suite: ChildProcess | undefined;

function runFaultSuite(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = (suite = spawn(process.execPath, ['--import', 'tsx', 'faults/run-faults.ts', ...args], {
      cwd: REPO_ROOT,
      // Port 0: the suite picks a free one for its api process.
      env: { ...process.env, API_PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    }));
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('the fault suite, bounded', () => {
  // If the test times out, the suite stops its roles gracefully on SIGTERM.
  afterAll(() => {
    if (suite?.exitCode === null) suite.kill('SIGTERM');
  });

  it('kills the projector, the orchestrator and Kafka under load: no order lost or applied twice, the read model is the fold of the topic, no other process exits', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bubble-tea-faults-'));
    const jsonFile = path.join(dir, 'result.json');
    const { code, output } = await runFaultSuite([
      '--only', PLAN.join(','),
      '--rate', '0.5',
      '--time-scale', '0',
      '--warmup-seconds', '6',
      '--fault-seconds', '8',
      '--recover-seconds', '30',
      '--drain-seconds', '60',
      '--json', jsonFile,
      '--logs', path.join(dir, 'logs'),
    ]);
    const tail = `fault suite output:\n${output.split('\n').slice(-40).join('\n')}`;
    expect(code, tail).not.toBe(2);
    const result = JSON.parse(readFileSync(jsonFile, 'utf8')) as FaultSuiteResult;

    expect(result.faults.map((fault) => fault.fault)).toEqual(['warm-up', ...PLAN]);
    expect(result.faultsInjected).toBe(PLAN.length);
    for (const fault of result.faults.slice(1)) expect(fault.backAfterMs, `${fault.fault} came back`).toBeGreaterThan(0);
    // 0.5 orders/s over the warm-up and three 8 s fault windows (about 30 s) at least; longer recoveries add more.
    expect(result.orders.accepted).toBeGreaterThanOrEqual(12);
    expect(result.invariants.ordersChecked).toBeGreaterThanOrEqual(result.orders.accepted);
    expect(result.invariants, tail).toMatchObject({ lost: 0, doubleApplied: 0, mismatches: 0 });
    expect(result.unexpectedExits, tail).toEqual([]);
    expect(result.failures, tail).toEqual([]);
    expect(code).toBe(0);
    expect(output).toContain(`faults injected ${PLAN.length}, lost 0, double-applied 0, mismatches 0`);
  }, 300_000);
});
