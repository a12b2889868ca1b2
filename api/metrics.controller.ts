import type { ServerResponse } from 'node:http';
import { Controller, Get, Res } from '@nestjs/common';
import { METRICS_CONTENT_TYPE, metricsText } from '../observability/metrics-endpoint';

/** Prometheus metrics of this process: every role it runs, the Temporal SDK's worker metrics, and the process itself. */
@Controller()
export class MetricsController {
  @Get('metrics')
  async metrics(@Res() response: ServerResponse): Promise<void> {
    const text = await metricsText();
    response.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE }).end(text);
  }
}
