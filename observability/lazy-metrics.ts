/**
 * A role's metrics, registered in the process's registry the first time the role asks for them: a process
 * shows only the metrics of the roles it runs, and a role started twice in one process (tests) shares them.
 */
export function lazyMetrics<Metrics>(create: () => Metrics): () => Metrics {
  let metrics: Metrics | undefined;
  return () => (metrics ??= create());
}
