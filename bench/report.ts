import type { BareResult } from './bare-temporal';
import type { LoadResult } from './order-load';
import type { ProcessUsage } from './process-stats';
import type { RebuildResult } from './projector-rebuild';
import type { ReadLatencyResult } from './read-latency';

/* The benchmark's result: what was run, on what, and every figure, plus the goals they are judged by. */

export interface PhaseResult extends LoadResult {
  processes: ProcessUsage[];
}

export interface Goal {
  goal: string;
  measured: string;
  met: boolean;
}

export interface BenchResult {
  date: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; temporal: string };
  loadAverage: { before: number[]; after: number[] };
  settings: Record<string, string | number>;
  bare: BareResult[];
  /** The floor with the shop's round trips again, right after the shop's saturation phase: load drifts over a run. */
  shopFloorAfter: BareResult;
  saturation: PhaseResult;
  rates: PhaseResult[];
  reads: ReadLatencyResult;
  rebuild: RebuildResult;
  goals: Goal[];
}

const f1 = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : '-');
const ms = (value: number) => (Number.isFinite(value) ? `${Math.round(value)}` : '-');

/** The shop's floor: the bare workflow with its round trips, the mean of the runs before and after the shop's saturation. */
export function shopFloor(result: Pick<BenchResult, 'bare' | 'shopFloorAfter'>): number {
  return (result.bare[0]!.perSecond + result.shopFloorAfter.perSecond) / 2;
}

export function judge(result: Omit<BenchResult, 'goals'>): Goal[] {
  const atTen = result.rates.find((phase) => phase.label === '10 orders/s');
  const half = result.saturation.readyPerSecond / 2;
  const nearHalf = [...result.rates].sort((a, b) => Math.abs(rateOf(a) - half) - Math.abs(rateOf(b) - half))[0];
  const shopRss = nearHalf?.processes.find((usage) => usage.name === 'shop')?.peakRssMiB ?? Number.NaN;
  const ratio = result.saturation.readyPerSecond / shopFloor(result);
  const rebuildRatio = result.rebuild.projectorEventsPerSecond / result.rebuild.rawInsertEventsPerSecond;
  const readRatio = result.reads.shopMs.p99 / result.reads.bareMs.p99;
  // Every order placed at 10/s must be ready for its p99 to count: one refused or still waiting fails the goal.
  const p99AtTen = atTen && atTen.ready === atTen.placed ? atTen.latencyMs.p99 : Number.POSITIVE_INFINITY;
  return [
    { goal: 'orders/s at saturation >= 30', measured: f1(result.saturation.readyPerSecond), met: result.saturation.readyPerSecond >= 30 },
    { goal: 'p99 placed -> ready at 10/s <= 1000 ms', measured: atTen ? (Number.isFinite(p99AtTen) ? ms(p99AtTen) : `${atTen.placed - atTen.ready} not ready`) : 'not run', met: p99AtTen <= 1000 },
    { goal: 'shop / bare workflow with its round trips >= 0.8', measured: ratio.toFixed(2), met: ratio >= 0.8 },
    { goal: 'projector / raw inserts >= 0.5', measured: rebuildRatio.toFixed(2), met: rebuildRatio >= 0.5 },
    { goal: 'GET p99 / bare pg+http p99 <= 2', measured: readRatio.toFixed(2), met: readRatio <= 2 },
    { goal: `shop RSS <= 300 MiB at ~half saturation (${nearHalf?.label ?? '-'})`, measured: `${Math.round(shopRss)} MiB`, met: shopRss <= 300 },
  ];
}

function rateOf(phase: LoadResult): number {
  return Number.parseFloat(phase.label);
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

const usage = (phase: PhaseResult, name: string) => phase.processes.find((process) => process.name === name);
const cores = (phase: PhaseResult, name: string) => f1(usage(phase, name)?.cores ?? Number.NaN);
/** CPU time per order made: steadier than cores or orders/s alone when the machine is shared. */
const msPerOrder = (phase: PhaseResult, name: string) => ms(((usage(phase, name)?.cores ?? Number.NaN) * 1000) / phase.readyPerSecond);

export function formatReport(result: BenchResult): string {
  const load = (phase: PhaseResult) => [
    phase.label,
    String(phase.placed),
    String(phase.refused),
    String(phase.ready),
    f1(phase.readyPerSecond),
    ms(phase.latencyMs.p50),
    ms(phase.latencyMs.p95),
    ms(phase.latencyMs.p99),
    ms(usage(phase, 'shop')?.peakRssMiB ?? Number.NaN),
    cores(phase, 'shop'),
    cores(phase, 'temporal'),
    cores(phase, 'kafka'),
    cores(phase, 'postgres'),
    msPerOrder(phase, 'shop'),
    msPerOrder(phase, 'temporal'),
  ];
  const { machine, loadAverage } = result;
  return [
    `bubble-tea-shop bench, ${result.date}: ${machine.cpus} x ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.temporal}`,
    `load average before ${loadAverage.before.map(f1).join(' ')}, after ${loadAverage.after.map(f1).join(' ')}; ${Object.entries(result.settings).map(([key, value]) => `${key}=${value}`).join(' ')}`,
    '',
    'Orders through the whole shop (placed = POST /orders sent, refused = answered 503, ready = the read model shows it ready; latencies in ms; CPU in cores, and in CPU ms per ready order):',
    table(['load', 'placed', 'refused', 'ready', 'ready/s', 'p50', 'p95', 'p99', 'shop RSS MiB', 'shop CPU', 'temporal CPU', 'kafka CPU', 'postgres CPU', 'shop ms/order', 'temporal ms/order'], [result.saturation, ...result.rates].map(load)),
    '',
    'Floors on the same servers, in the same run:',
    table(
      ['what', 'figure', 'floor', 'ratio'],
      [
        [
          `shop orders/s vs ${result.bare[0]!.name} (mean of ${f1(result.bare[0]!.perSecond)} before, ${f1(result.shopFloorAfter.perSecond)} after the shop)`,
          f1(result.saturation.readyPerSecond),
          f1(shopFloor(result)),
          (result.saturation.readyPerSecond / shopFloor(result)).toFixed(2),
        ],
        ...result.bare.slice(1).map((bare) => [bare.name + ' (workflows/s)', f1(bare.perSecond), '', '']),
        ['projector rebuild events/s vs raw multi-row INSERT', f1(result.rebuild.projectorEventsPerSecond), f1(result.rebuild.rawInsertEventsPerSecond), (result.rebuild.projectorEventsPerSecond / result.rebuild.rawInsertEventsPerSecond).toFixed(2)],
        ['`projections -- rebuild` events/s vs raw multi-row INSERT', f1(result.rebuild.rebuildCommandEventsPerSecond), f1(result.rebuild.rawInsertEventsPerSecond), (result.rebuild.rebuildCommandEventsPerSecond / result.rebuild.rawInsertEventsPerSecond).toFixed(2)],
        ['GET /orders/:id p50 ms vs bare pg + node:http', f1(result.reads.shopMs.p50), f1(result.reads.bareMs.p50), (result.reads.shopMs.p50 / result.reads.bareMs.p50).toFixed(2)],
        ['GET /orders/:id p99 ms vs bare pg + node:http', f1(result.reads.shopMs.p99), f1(result.reads.bareMs.p99), (result.reads.shopMs.p99 / result.reads.bareMs.p99).toFixed(2)],
      ],
    ),
    '',
    'Goals:',
    table(['goal', 'measured', 'met'], result.goals.map((goal) => [goal.goal, goal.measured, goal.met ? 'yes' : 'NO'])),
  ].join('\n');
}
