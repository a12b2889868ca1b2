import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import pino, { type Logger } from 'pino';

/** One JSON logger per process; the Temporal SDK's own logs go through it too. */
export function createLogger(name: string): Logger {
  return pino({ name, level: process.env.LOG_LEVEL ?? 'info' });
}

const levels: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

let installed = false;

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
    logger: new DefaultLogger('WARN', ({ level, message, meta }) => temporalLogger[levels[level]](meta ?? {}, message)),
  });
}
