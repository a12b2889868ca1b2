import type { IncomingMessage, ServerResponse } from 'node:http';

/** A Server-Sent Events response: frames written as they come, a comment every 15 s so proxies keep it open. */
export interface EventStream {
  send(frame: { id?: string | number; event: string; data: unknown }): void;
  onClose(cleanup: () => void): void;
  end(): void;
}

const HEARTBEAT_MS = 15_000;

export function openEventStream(request: IncomingMessage, response: ServerResponse): EventStream {
  response.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  response.write('retry: 2000\n\n');
  const heartbeat = setInterval(() => !response.destroyed && response.write(': keep-alive\n\n'), HEARTBEAT_MS);
  const cleanups: Array<() => void> = [() => clearInterval(heartbeat)];
  request.on('close', () => cleanups.forEach((cleanup) => cleanup()));
  return {
    send({ id, event, data }) {
      if (response.writableEnded || response.destroyed) return;
      response.write(`${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    onClose(cleanup) {
      cleanups.push(cleanup);
    },
    end() {
      response.end();
    },
  };
}

/** The `Last-Event-ID` a reconnecting EventSource sends: the last sequence it received, or 0. */
export function lastEventIdOf(request: IncomingMessage): number {
  const header = request.headers['last-event-id'];
  const value = Number(Array.isArray(header) ? header[0] : header);
  return Number.isInteger(value) && value > 0 ? value : 0;
}
