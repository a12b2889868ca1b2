import { createRequire } from 'node:module';
import type { ClientInterceptors } from '@temporalio/client';
import type { WorkerOptions } from '@temporalio/worker';
import { activeTracing } from './tracing';

/**
 * @temporalio/interceptors-opentelemetry wired in only while tracing is on: the client passes the caller's
 * trace context to the workflow in its headers, the workflow's spans (RunWorkflow, StartActivity) leave the
 * sandbox through a sink, and each activity runs in a RunActivity span child of the workflow's.
 */

/** The workflow-side interceptors' module, bundled with the workflow code when tracing is on. */
export const WORKFLOW_TRACING_MODULE = createRequire(import.meta.url).resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors');

export function tracingClientInterceptors(): ClientInterceptors | undefined {
  const tracing = activeTracing();
  return tracing ? { workflow: [new tracing.temporal.OpenTelemetryWorkflowClientInterceptor()] } : undefined;
}

/**
 * Worker options that trace its activities and, for a worker that runs workflows (whose bundle must then hold
 * WORKFLOW_TRACING_MODULE), export its workflows' spans.
 */
export function tracingWorkerOptions(runs: { workflows: boolean }): Pick<WorkerOptions, 'interceptors' | 'sinks'> {
  const tracing = activeTracing();
  if (!tracing) return {};
  const { OpenTelemetryActivityInboundInterceptor, OpenTelemetryActivityOutboundInterceptor, makeWorkflowExporter } = tracing.temporal;
  return {
    interceptors: {
      activity: [(ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx), outbound: new OpenTelemetryActivityOutboundInterceptor(ctx) })],
    },
    ...(runs.workflows && { sinks: { exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) } }),
  };
}
