/** Runs `total` tasks with at most `inFlight` at a time, as fast as they complete. */
export async function closedLoop(
  total: number,
  inFlight: number,
  task: (index: number) => Promise<void>,
  onDone: (done: number) => void = () => undefined,
): Promise<{ elapsedMs: number }> {
  const started = Date.now();
  let next = 0;
  let done = 0;
  const lane = async () => {
    while (next < total) {
      const index = next++;
      await task(index);
      onDone(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, total) }, lane));
  return { elapsedMs: Date.now() - started };
}
