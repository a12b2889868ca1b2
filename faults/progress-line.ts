/** One line every few seconds and at every change of phase, so a long run shows where it is. */
export class ProgressLine {
  private phase = 'starting';
  private timer: NodeJS.Timeout | undefined;
  private readonly began = Date.now();

  constructor(
    private readonly print: (line: string) => void,
    private readonly status: () => string,
    private readonly everyMs = 5000,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.show(), this.everyMs);
  }

  set(phase: string): void {
    this.phase = phase;
    this.show();
  }

  note(line: string): void {
    this.print(`${this.clock()} ${line}`);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private show(): void {
    this.print(`${this.clock()} ${this.phase.padEnd(34)} ${this.status()}`);
  }

  private clock(): string {
    return `[${String(Math.round((Date.now() - this.began) / 1000)).padStart(4)}s]`;
  }
}
