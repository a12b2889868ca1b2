import path from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../stack/stack-home';
import { FAULT_NAMES, selectFaults, type Fault } from './fault-plan';

export interface FaultSuiteOptions {
  faults: Fault[];
  /** Orders placed per second through the HTTP API while the faults run. */
  ratePerSecond: number;
  /** Load without faults before the first one: the baseline every fault is compared with. */
  warmupSeconds: number;
  /** At least this long from one kill to the next: the killed part is restarted inside it, then the shop runs on. */
  faultSeconds: number;
  /** After `faultSeconds`, at most this long more for an order placed after the restart to be ready. */
  recoverSeconds: number;
  /** How long a killed role or server stays down before it is restarted. */
  downSeconds: number;
  /** After the load stops, how long the shop may take to finish every accepted order. */
  drainSeconds: number;
  /** STATION_TIME_SCALE of the stations (0: instant); above 0 a killed station has work in progress. */
  stationTimeScale: number;
  jsonFile: string;
  logsDir: string;
}

export const USAGE = `usage: npm run faults -- [options]

Runs every role as its own process on the local stack under a steady load of orders, kills (SIGKILL) each
role and each server in turn, restarts it, then checks that no order was lost or applied twice and that
the read model equals the fold of the order events topic.

  --only <names>          comma-separated faults (default: all): ${FAULT_NAMES.join(', ')}
  --rate <n>              orders per second (default 1)
  --warmup-seconds <n>    load before the first fault, the baseline (default 10)
  --fault-seconds <n>     at least this long from one kill to the next (default 20)
  --recover-seconds <n>   then at most this long more until an order placed after the restart is ready,
                          before the next fault (default 60)
  --down-seconds <n>      how long a killed part stays down (default 2)
  --drain-seconds <n>     at most this long for the last orders to finish (default 90)
  --time-scale <n>        STATION_TIME_SCALE of the stations (default 0.1: a drink mixes in about a second,
                          so a killed station has work in progress; 0: instant)
  --json <file>           where the result goes (default faults/results/latest.json)
  --logs <dir>            where each process's log goes (default faults/results/logs)`;

const RESULTS_DIR = path.join(REPO_ROOT, 'faults', 'results');

function positive(name: string, text: string | undefined, fallback: number, { allowZero = false } = {}): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) throw new Error(`--${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, got "${text}"`);
  return value;
}

/** Returns undefined for --help. */
export function parseFaultSuiteOptions(argv: string[]): FaultSuiteOptions | undefined {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      only: { type: 'string' },
      rate: { type: 'string' },
      'warmup-seconds': { type: 'string' },
      'fault-seconds': { type: 'string' },
      'recover-seconds': { type: 'string' },
      'down-seconds': { type: 'string' },
      'drain-seconds': { type: 'string' },
      'time-scale': { type: 'string' },
      json: { type: 'string' },
      logs: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return undefined;
  const faultSeconds = positive('fault-seconds', values['fault-seconds'], 20);
  const downSeconds = positive('down-seconds', values['down-seconds'], 2, { allowZero: true });
  if (downSeconds >= faultSeconds) throw new Error('--down-seconds must be shorter than --fault-seconds');
  return {
    faults: selectFaults(values.only?.split(',').map((name) => name.trim()).filter(Boolean)),
    ratePerSecond: positive('rate', values.rate, 1),
    warmupSeconds: positive('warmup-seconds', values['warmup-seconds'], 10),
    faultSeconds,
    recoverSeconds: positive('recover-seconds', values['recover-seconds'], 60, { allowZero: true }),
    downSeconds,
    drainSeconds: positive('drain-seconds', values['drain-seconds'], 90),
    stationTimeScale: positive('time-scale', values['time-scale'], 0.1, { allowZero: true }),
    jsonFile: path.resolve(values.json ?? path.join(RESULTS_DIR, 'latest.json')),
    logsDir: path.resolve(values.logs ?? path.join(RESULTS_DIR, 'logs')),
  };
}
