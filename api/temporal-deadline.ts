import type { Client } from '@temporalio/client';

/** How long the API waits for Temporal on a request before answering 503 "please retry". */
export const TEMPORAL_TIMEOUT_MS = 10_000;

/** How long a cancellation may take: it waits for the refund too (the update returns once it is published). */
export const CANCEL_TIMEOUT_MS = 30_000;

/** How long the API waits for a running order's workflow to answer a query before answering from its start event. */
export const ORDER_QUERY_TIMEOUT_MS = 3_000;

/** How long the reconciler waits for a closed order's workflow to answer a query (the server replays its history). */
export const CLOSED_ORDER_QUERY_TIMEOUT_MS = 5_000;

/** One call of the Temporal client that fails with DEADLINE_EXCEEDED (a 503 in the API) after `timeoutMs`. */
export function withTimeout<Result>(client: Client, timeoutMs: number, call: () => Promise<Result>): Promise<Result> {
  return client.withDeadline(Date.now() + timeoutMs, call);
}
