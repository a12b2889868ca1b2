import { operatorFetch } from './sessions';

/** A minimal Server-Sent Events reader for tests (Node 20 has no EventSource): collects frames until told to stop. */
export interface SseFrame {
  id?: string;
  event: string;
  data: unknown;
}

export interface SseConnection {
  status: number;
  frames: SseFrame[];
  /** Resolves once `count` frames have arrived, or rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<SseFrame[]>;
  close(): void;
}

/** Opens the stream as the test operator unless `headers` bring their own Authorization. */
export async function openSse(url: string, lastEventId?: string, headers: Record<string, string> = {}): Promise<SseConnection> {
  const controller = new AbortController();
  const response = await operatorFetch(url, { headers: { ...headers, ...(lastEventId ? { 'Last-Event-ID': lastEventId } : {}) }, signal: controller.signal });
  const frames: SseFrame[] = [];
  const waiters: Array<() => void> = [];
  if (response.ok && response.body) {
    void (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const fields = Object.fromEntries(
              block
                .split('\n')
                .filter((line) => line && !line.startsWith(':'))
                .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trimStart()]),
            ) as Record<string, string>;
            if (fields.data === undefined) continue;
            frames.push({ id: fields.id, event: fields.event ?? 'message', data: JSON.parse(fields.data) });
            waiters.forEach((wake) => wake());
          }
        }
      } catch {
        // aborted by close()
      }
    })();
  }
  return {
    status: response.status,
    frames,
    waitFor(count, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${frames.length} of ${count} frames arrived`)), timeoutMs);
        const check = () => {
          if (frames.length < count) return;
          clearTimeout(timer);
          resolve(frames.slice(0, count));
        };
        waiters.push(check);
        check();
      });
    },
    close: () => controller.abort(),
  };
}
