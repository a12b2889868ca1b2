import { trace } from '@opentelemetry/api';
import type { LoggerOptions } from 'pino';

/**
 * What every log line of the shop is written with: secrets redacted wherever they appear (request headers, a
 * configuration or error object that carries a password or token), and, while tracing is on, the trace and
 * span of the work that logged it, so a line leads to its trace and back.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  '*.password',
  '*.apiKey',
  '*.adminToken',
  '*.token',
  '*.sasl.password',
  'password',
  'apiKey',
  'adminToken',
  'token',
];

export function logOptions(name: string, level: string, tracing: boolean): LoggerOptions {
  return {
    name,
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    ...(tracing && { mixin: traceFields }),
  };
}

/** The active span's ids, in the field names OpenTelemetry's log conventions use. */
export function traceFields(): Record<string, string> {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}
