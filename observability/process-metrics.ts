import { collectDefaultMetrics, register } from 'prom-client';

let collecting = false;

/** CPU, memory, event-loop lag, GC and handles of this process (prom-client's default metrics), once per process. */
export function collectProcessMetrics(): void {
  if (collecting) return;
  collecting = true;
  collectDefaultMetrics({ register });
}
