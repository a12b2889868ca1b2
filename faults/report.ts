import type { FaultSuiteResult } from './fault-suite-result';

/* The suite's table and totals, as printed at the end of `npm run faults`. */

export function seconds(ms: number | undefined): string {
  return ms === undefined ? '-' : `${(ms / 1000).toFixed(1)}s`;
}

function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string[] {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)];
}

/** The error line of a crash (Node.js prints it above the stack), else the last line. */
function reasonOf(lastLines: readonly string[]): string {
  const error = lastLines.find((line) => /^\s*\w*error\b.*:/i.test(line) && !line.includes('"level"'));
  return (error ?? lastLines.at(-1) ?? '').trim().slice(0, 200);
}

export function formatReport(result: FaultSuiteResult): string {
  const rows = result.faults.map((fault) => {
    const baseline = fault.kind === 'baseline';
    return [
      baseline ? `(${fault.fault})` : fault.fault,
      baseline ? '' : fault.backAfterMs === undefined ? 'never' : seconds(fault.backAfterMs),
      baseline ? '' : fault.recoveredAfterMs === undefined ? 'never' : seconds(fault.recoveredAfterMs),
      String(fault.ordersInFlight),
      String(fault.ordersAffected),
      seconds(fault.longestWaitMs) + (fault.unfinished > 0 ? ` +${fault.unfinished} unfinished` : ''),
      seconds(fault.readModelFreshAfterMs),
      String(fault.refused),
      String(fault.failedReads),
      String(fault.unexpectedExits),
    ];
  });
  const { invariants, orders } = result;
  const lines = [
    '',
    ...table(['fault', 'back after', 'recovered after', 'in flight', 'affected', 'longest wait', 'read model fresh after', 'refused', 'failed reads', 'unexpected exits'], rows),
    '',
    `orders placed ${orders.placed} (accepted ${orders.accepted}, refused ${orders.refused}), faults injected ${result.faultsInjected}, ` +
      `lost ${invariants.lost}, double-applied ${invariants.doubleApplied}, mismatches ${invariants.mismatches}, unexpected exits ${result.unexpectedExits.length}`,
    `affected: waited longer than ${seconds(result.affectedAfterMs)} (the slowest order of the warm-up's second half plus 1s); ` +
      `drain ${result.drain.finished ? 'finished' : 'did not finish'} in ${result.drain.seconds.toFixed(0)}s`,
  ];
  for (const [kind, problems] of Object.entries(invariants.examples)) {
    for (const problem of problems) lines.push(`  ${kind}: order ${problem.orderId}: ${problem.problem}`);
  }
  for (const exit of result.unexpectedExits) lines.push(`  exit: ${exit.process} pid ${exit.pid ?? '?'} during ${exit.during}: ${reasonOf(exit.lastLines)} (${exit.logFile})`);
  lines.push(result.passed ? 'PASSED: every invariant holds' : `FAILED:\n${result.failures.map((failure) => `  - ${failure}`).join('\n')}`);
  lines.push(`logs: roles in ${result.logs.roles}, servers in ${result.logs.servers}`);
  return lines.join('\n');
}
