import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { FIRST_BACKOFF_MS, nextBackoffMs } from '../config/backoff';

/**
 * Runs `attempt` until it succeeds, waiting with backoff for as long as it fails because `server` is out of
 * reach, so a role started before its servers (or during a restart) waits for them instead of exiting.
 * Any other failure is thrown at once: retrying would not heal a wrong password or a broken migration.
 */
export async function untilAvailable<Result>(
  server: string,
  attempt: () => Promise<Result>,
  isUnavailable: (error: unknown) => boolean,
  logger: Logger,
): Promise<Result> {
  for (let waitMs = FIRST_BACKOFF_MS; ; waitMs = nextBackoffMs(waitMs)) {
    try {
      return await attempt();
    } catch (error) {
      if (!isUnavailable(error)) throw error;
      logger.warn({ err: error, retryInMs: waitMs }, `${server} is not available yet, waiting for it`);
      await sleep(waitMs);
    }
  }
}
