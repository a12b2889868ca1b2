import { createRequire } from 'node:module';
import { context, propagation, trace, type Context, type Span, type SpanOptions, type Tracer } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import type { SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type * as TemporalTracing from '@temporalio/interceptors-opentelemetry';

/*
 * OpenTelemetry tracing of the whole order: POST /orders (http) → workflow start, workflow and activities
 * (@temporalio/interceptors-opentelemetry) → the Kafka message (W3C trace context in its headers, by hand) →
 * the projector's apply → the SSE push; PostgreSQL queries (pg) inside. On only when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set (OTLP over HTTP/protobuf, the exporter's own OTEL_* variables apply), or
 * when a test passes an exporter; otherwise nothing is registered, not even loaded, and every hook below is skipped.
 */

export interface Tracing {
  provider: NodeTracerProvider;
  spanProcessor: SpanProcessor;
  resource: Resource;
  /** @temporalio/interceptors-opentelemetry, loaded with the rest. */
  temporal: typeof TemporalTracing;
}

let tracing: Tracing | undefined;

export const tracingEnabled = (): boolean => tracing !== undefined;
export const activeTracing = (): Tracing | undefined => tracing;

/** Starts tracing for this process if configured (or given an exporter, synchronously exported: tests). Idempotent. */
export async function startTracing(serviceName: string, options: { exporter?: SpanExporter } = {}): Promise<Tracing | undefined> {
  if (tracing) return tracing;
  if (!options.exporter && !process.env.OTEL_EXPORTER_OTLP_ENDPOINT) return undefined;
  const [{ OTLPTraceExporter }, { registerInstrumentations }, { HttpInstrumentation }, { PgInstrumentation }, { Resource }, { BatchSpanProcessor, SimpleSpanProcessor }, { NodeTracerProvider }, { ATTR_SERVICE_NAME }, temporal] =
    await Promise.all([
      import('@opentelemetry/exporter-trace-otlp-proto'),
      import('@opentelemetry/instrumentation'),
      import('@opentelemetry/instrumentation-http'),
      import('@opentelemetry/instrumentation-pg'),
      import('@opentelemetry/resources'),
      import('@opentelemetry/sdk-trace-base'),
      import('@opentelemetry/sdk-trace-node'),
      import('@opentelemetry/semantic-conventions'),
      import('@temporalio/interceptors-opentelemetry'),
    ]);
  const resource = new Resource({ [ATTR_SERVICE_NAME]: process.env.OTEL_SERVICE_NAME ?? serviceName });
  const spanProcessor = options.exporter ? new SimpleSpanProcessor(options.exporter) : new BatchSpanProcessor(new OTLPTraceExporter());
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  // Global tracer provider, AsyncLocalStorage context and the W3C trace-context propagator.
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: (request) => ['/metrics', '/health', '/ready'].includes(request.url?.split('?')[0] ?? '') }),
      new PgInstrumentation({ requireParentSpan: true }),
    ],
  });
  // The code is ES modules: hooks see CommonJS `require`s only, so require the instrumented modules once here;
  // their exports (and prototypes) are shared with every import.
  const require = createRequire(import.meta.url);
  for (const name of ['http', 'https', 'pg', 'pg-pool']) require(name);
  tracing = { provider, spanProcessor, resource, temporal };
  return tracing;
}

export async function stopTracing(): Promise<void> {
  await tracing?.provider.shutdown();
}

export const tracer = (): Tracer => trace.getTracer('bubble-tea-shop');

/** The W3C trace context of `ctx` as message headers (`traceparent`, `tracestate`); empty when tracing is off. */
export function traceHeaders(ctx: Context = context.active()): Record<string, string> {
  if (!tracing) return {};
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier;
}

/** The context carried by headers (Kafka's are buffers), to parent the spans of the work they caused. */
export function contextOfHeaders(headers: Record<string, unknown> | undefined): Context {
  const carrier: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (value !== undefined && value !== null) carrier[key] = Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
  }
  return propagation.extract(context.active(), carrier);
}

/** Runs `work` in a span child of `parent`, ending it (with the error, if any) when the work settles. */
export async function inSpan<Result>(name: string, options: SpanOptions, parent: Context, work: (span: Span) => Promise<Result>): Promise<Result> {
  const span = tracer().startSpan(name, options, parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => work(span));
  } catch (error) {
    span.recordException(error as Error);
    span.setStatus({ code: 2, message: (error as Error).message });
    throw error;
  } finally {
    span.end();
  }
}
