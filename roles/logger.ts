import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import pino, { type DestinationStream, type Logger } from 'pino';
import pinoPretty from 'pino-pretty';
import { logOptions } from '../observability/log-options';
import { tracingEnabled } from '../observability/tracing';
import { orderIdOfWorkflow } from '../contracts/ids';

/**
 * One logger per process; the Temporal SDK's own logs go through it too. Human-readable (pino-pretty) when
 * stdout is a terminal, one JSON object a line otherwise (a file, a pipe, a log collector); LOG_FORMAT=json or
 * pretty overrides that.
 */
export function createLogger(name: string, destination?: DestinationStream): Logger {
  const options = logOptions(name, process.env.LOG_LEVEL ?? 'info', tracingEnabled());
  return pino(options, destination ?? (prettyWanted() ? pinoPretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', sync: true }) : undefined));
}

function prettyWanted(): boolean {
  const format = process.env.LOG_FORMAT;
  return format === 'pretty' || (format !== 'json' && process.stdout.isTTY === true);
}

const levels: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/** What the SDK warns of that is as meant here: a station worker runs activities only. */
const EXPECTED_WARNINGS = new Set(['No workflows registered, not polling for workflow tasks']);

function levelOf(level: LogLevel, message: string): (typeof levels)[LogLevel] {
  return EXPECTED_WARNINGS.has(message) ? 'debug' : levels[level];
}

let installed = false;

/** The order a Temporal log line is about, from its workflow id (`order-<orderId>`), so every line of an order carries `orderId`. */
export function temporalLogFields(meta: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!meta || meta.orderId !== undefined || typeof meta.workflowId !== 'string' || !meta.workflowId.startsWith('order-')) return meta ?? {};
  return { orderId: orderIdOfWorkflow(meta.workflowId), ...meta };
}

/**
 * Installs the Temporal SDK's runtime once per process: its logs go through `logger`, and with
 * `sdkMetricsAddress` its worker metrics are served in Prometheus format there (see observability/temporal-sdk-metrics.ts).
 */
export function routeTemporalLogs(logger: Logger, options: { sdkMetricsAddress?: string } = {}): void {
  if (installed) return;
  installed = true;
  const temporalLogger = logger.child({ component: 'temporal-sdk' });
  Runtime.install({
    // The process shuts its roles down itself, in order, on SIGINT/SIGTERM.
    shutdownSignals: [],
    ...(options.sdkMetricsAddress && {
      telemetryOptions: { metrics: { prometheus: { bindAddress: options.sdkMetricsAddress, countersTotalSuffix: true, useSecondsForDurations: true, unitSuffix: true } } },
    }),
    logger: new DefaultLogger('WARN', ({ level, message, meta }) => temporalLogger[levelOf(level, message)](temporalLogFields(meta), message)),
  });
}
