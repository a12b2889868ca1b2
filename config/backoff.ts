/** How long to wait between attempts to reach a server that is down: from half a second, doubling, at most 10 s. */
export const FIRST_BACKOFF_MS = 500;
export const LONGEST_BACKOFF_MS = 10_000;

export function nextBackoffMs(previousMs: number): number {
  return Math.min(previousMs * 2, LONGEST_BACKOFF_MS);
}
