/*
 * Whether an error means a server is out of reach for now (down, restarting, refusing connections), so the
 * work is worth retrying once it is back, as opposed to a mistake that retrying will not heal.
 */

const SOCKET_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** SQLSTATEs of a server that is going away or not taking connections yet (class 08 is "connection exception"). */
const POSTGRES_UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300']);

/** node-pg and pg-pool say it in words rather than codes. */
const PG_CONNECTION_MESSAGES = [
  'Connection terminated',
  'timeout expired',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
];

export function isPostgresUnavailable(error: unknown): boolean {
  return someCause(error, (cause) => {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && (SOCKET_ERRORS.has(code) || POSTGRES_UNAVAILABLE_STATES.has(code) || code.startsWith('08'))) return true;
    return PG_CONNECTION_MESSAGES.some((message) => cause.message.startsWith(message));
  });
}

/** kafkajs marks what it would retry itself as `retriable`, and gives up with KafkaJSNumberOfRetriesExceeded. */
export function isKafkaUnavailable(error: unknown): boolean {
  return someCause(error, (cause) => {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && SOCKET_ERRORS.has(code)) return true;
    return (cause as { retriable?: unknown }).retriable === true || ['KafkaJSNumberOfRetriesExceeded', 'KafkaJSConnectionError'].includes(cause.name);
  });
}

/** The error, its causes (`cause`, kafkajs' `originalError`) and the attempts of an AggregateError (one per address). */
function someCause(error: unknown, test: (cause: Error) => boolean, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 5) return false;
  if (test(error)) return true;
  const nested = [(error as { cause?: unknown }).cause, (error as { originalError?: unknown }).originalError, ...(error instanceof AggregateError ? error.errors : [])];
  return nested.some((inner) => someCause(inner, test, depth + 1));
}
