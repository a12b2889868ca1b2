import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { register } from 'prom-client';
import { sdkMetricsText } from './temporal-sdk-metrics';

export const METRICS_CONTENT_TYPE = register.contentType;

/** Everything this process measures, in Prometheus text format: its own registry, then the Temporal SDK's worker metrics. */
export async function metricsText(): Promise<string> {
  const [own, sdk] = await Promise.all([register.metrics(), sdkMetricsText()]);
  return sdk === '' ? own : `${own}\n${sdk}`;
}

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

/** `GET /metrics` on a port of its own, for a process whose roles serve no HTTP (port 0: any free port). */
export async function startMetricsServer(host: string, port: number, logger: Logger): Promise<MetricsServer> {
  const server: Server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    metricsText().then(
      (text) => response.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE }).end(text),
      (error: unknown) => {
        logger.warn({ err: error }, 'metrics could not be collected');
        response.writeHead(500).end();
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const { port: bound } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${bound}/metrics`;
  return {
    url,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
