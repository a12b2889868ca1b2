import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config';
import { startMetricsServer, type MetricsServer } from '../observability/metrics-endpoint';
import { collectProcessMetrics } from '../observability/process-metrics';
import { reserveSdkMetricsAddress } from '../observability/temporal-sdk-metrics';
import type { RoleName } from './roles';

const hostsWorker = (roles: readonly RoleName[]) => roles.some((role) => role === 'orchestrator' || role.startsWith('station:'));

/**
 * Before the Temporal runtime is installed: process metrics on, and an address for the SDK's worker metrics
 * when this process runs a worker (the runtime is installed once, with it).
 */
export async function prepareMetrics(roles: readonly RoleName[]): Promise<{ sdkMetricsAddress?: string }> {
  collectProcessMetrics();
  return hostsWorker(roles) ? { sdkMetricsAddress: await reserveSdkMetricsAddress() } : {};
}

/**
 * The process's /metrics: on the API's own port when the api role runs here, otherwise (or also, when
 * METRICS_PORT is set) on a listener of its own. One endpoint per process covers every role in it.
 */
export async function serveMetrics(config: AppConfig, roles: readonly RoleName[], logger: Logger): Promise<MetricsServer | undefined> {
  const port = config.app.metricsPort;
  if (roles.includes('api') && port === undefined) return undefined;
  const server = await startMetricsServer(config.app.apiHost, port ?? 0, logger);
  logger.info({ url: server.url }, 'Metrics listening');
  return server;
}
