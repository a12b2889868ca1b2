import { createServer } from 'node:net';

/**
 * The Temporal SDK's own worker metrics (task slots, poll and execution latencies, sticky cache...) come from
 * its Rust core, which serves them in Prometheus format on an address of its own (Runtime telemetry). This
 * process reserves that address on 127.0.0.1 and appends what it serves to the process's `/metrics`, so an
 * operator scrapes one endpoint per process.
 */
let sdkMetricsUrl: string | undefined;

/** A free port on 127.0.0.1 for the SDK's exporter: the Rust core cannot report a port it picked itself. */
export async function reserveSdkMetricsAddress(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  const address = `127.0.0.1:${port}`;
  sdkMetricsUrl = `http://${address}/metrics`;
  return address;
}

/** The SDK's metrics text, or nothing when no worker runtime serves it here (or it does not answer in time). */
export async function sdkMetricsText(): Promise<string> {
  if (sdkMetricsUrl === undefined) return '';
  try {
    const response = await fetch(sdkMetricsUrl, { signal: AbortSignal.timeout(2_000) });
    return response.ok ? await response.text() : '';
  } catch {
    return '';
  }
}
