/**
 * One status line for long phases: redrawn in place on a terminal, printed every few seconds otherwise
 * (CI logs), always on stderr so the table on stdout stays clean.
 */
export interface Progress {
  update(done: number, detail?: string): void;
  finish(detail?: string): void;
}

const WIDTH = 24;

export function progress(label: string, total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  const started = Date.now();
  let lastPrinted = 0;
  const line = (done: number, detail = '') => {
    const fraction = total > 0 ? Math.min(1, done / total) : 1;
    const filled = Math.round(fraction * WIDTH);
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    return `${label.padEnd(28)} [${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${done}/${total} ${seconds}s ${detail}`;
  };
  return {
    update(done, detail) {
      if (stream.isTTY) {
        stream.write(`\r${line(done, detail).padEnd(stream.columns ? stream.columns - 1 : 100)}`);
      } else if (Date.now() - lastPrinted > 5000) {
        lastPrinted = Date.now();
        stream.write(`${line(done, detail)}\n`);
      }
    },
    finish(detail) {
      stream.write(`${stream.isTTY ? '\r' : ''}${line(total, detail)}\n`);
    },
  };
}
