/** How long the API waits for Temporal on a request before answering 503 "please retry". */
export const TEMPORAL_TIMEOUT_MS = 10_000;
