/** A role started in this process: `running` settles when it stops by itself, `stop()` stops it gracefully. */
export interface RunningRole {
  name: string;
  /** Where it serves HTTP, for roles that do. */
  url?: string;
  running: Promise<unknown>;
  stop(): Promise<void>;
}
