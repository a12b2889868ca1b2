import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RoleName } from '../roles/roles';
import { REPO_ROOT } from '../stack/stack-home';

/** What roles/main.ts prints once every role it was given has started. */
const READY_MARKER = 'bubble-tea-shop is running:';
/** Enough to keep the error line above a Node.js stack trace. */
const LAST_LINES = 40;

export interface ProcessExit {
  role: RoleName;
  pid: number;
  code: number | null;
  signal: string | null;
  at: number;
  /** Killed by the suite on purpose, or stopped at the end: not a fault of the shop. */
  expected: boolean;
  logFile: string;
  /** The last lines the process wrote, for the report. */
  lastLines: string[];
}

interface Supervised {
  child: ChildProcess;
  pid: number;
  /** Set before the suite kills or stops it, so its exit is not counted against the shop. */
  expectingExit: boolean;
  exited: Promise<void>;
}

/**
 * Runs each role as its own OS process (`node --import tsx roles/main.ts role <name>`, which is
 * `npx tsx roles/main.ts role <name>` without the wrapper processes, so a SIGKILL hits the role itself),
 * with its output in a log file. Any exit the suite did not cause is recorded and the role is started again
 * (with a growing pause), so one crash does not hide what the later faults do.
 */
export class RoleSupervisor {
  private readonly running = new Map<RoleName, Supervised>();
  private readonly restartPause = new Map<RoleName, number>();
  private stopping = false;

  constructor(
    private readonly options: { env: NodeJS.ProcessEnv; logsDir: string; readyTimeoutMs?: number; onUnexpectedExit?: (exit: ProcessExit) => void },
  ) {
    mkdirSync(options.logsDir, { recursive: true });
    // However the suite ends, it leaves no role behind.
    process.once('exit', () => {
      for (const supervised of this.running.values()) supervised.child.kill('SIGKILL');
    });
  }

  logFileOf(role: RoleName): string {
    return path.join(this.options.logsDir, `${role.replace(':', '-')}.log`);
  }

  /** Starts the role and resolves once it says it is running; rejects if it exits or hangs first. */
  async start(role: RoleName): Promise<void> {
    const logFile = this.logFileOf(role);
    const log = createWriteStream(logFile, { flags: 'a' });
    const child = spawn(process.execPath, ['--import', 'tsx', 'roles/main.ts', 'role', role], {
      cwd: REPO_ROOT,
      env: this.options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const pid = child.pid;
    if (pid === undefined) throw new Error(`could not start role ${role}`);
    log.write(`\n--- ${new Date().toISOString()} started pid ${pid}: role ${role}\n`);
    const lastLines: string[] = [];
    let ready: () => void;
    const isReady = new Promise<void>((resolve) => (ready = resolve));
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        lastLines.push(line.slice(0, 500));
        if (lastLines.length > LAST_LINES) lastLines.shift();
      }
    };
    child.stdout!.on('data', (chunk: Buffer) => {
      log.write(chunk);
      keep(chunk);
      if (chunk.toString('utf8').includes(READY_MARKER)) ready();
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      log.write(chunk);
      keep(chunk);
    });

    const supervised: Supervised = { child, pid, expectingExit: false, exited: Promise.resolve() };
    supervised.exited = new Promise<void>((resolve) =>
      child.on('close', (code, signal) => {
        const exit: ProcessExit = { role, pid, code, signal, at: Date.now(), expected: supervised.expectingExit, logFile, lastLines };
        log.end(`--- ${new Date(exit.at).toISOString()} pid ${pid} exited (${signal ?? `code ${code}`})${exit.expected ? '' : ', unexpectedly'}\n`);
        if (this.running.get(role) === supervised) this.running.delete(role);
        resolve();
        if (!exit.expected) {
          this.options.onUnexpectedExit?.(exit);
          void this.restartAfterCrash(role);
        }
      }),
    );
    this.running.set(role, supervised);

    const timeoutMs = this.options.readyTimeoutMs ?? 120_000;
    const waiting = new AbortController();
    const outcome = await Promise.race([
      isReady.then(() => 'ready' as const),
      supervised.exited.then(() => 'exited' as const),
      sleep(timeoutMs, 'timeout' as const, { signal: waiting.signal }),
    ]);
    waiting.abort();
    if (outcome === 'exited') throw new Error(`role ${role} (pid ${pid}) exited while starting; see ${logFile}`);
    if (outcome === 'timeout') throw new Error(`role ${role} (pid ${pid}) did not start within ${timeoutMs / 1000}s; see ${logFile}`);
    this.restartPause.delete(role);
  }

  /** SIGKILL, as a crash would: no shutdown hook runs. Resolves once the process is gone. */
  async kill(role: RoleName): Promise<number> {
    const supervised = this.running.get(role);
    if (!supervised) throw new Error(`role ${role} is not running, nothing to kill`);
    supervised.expectingExit = true;
    supervised.child.kill('SIGKILL');
    await supervised.exited;
    return supervised.pid;
  }

  /** SIGTERM to every role (each shuts down gracefully), SIGKILL to any still there after the grace time. */
  async stopAll(graceMs = 30_000): Promise<void> {
    this.stopping = true;
    const all = [...this.running.values()];
    for (const supervised of all) {
      supervised.expectingExit = true;
      supervised.child.kill('SIGTERM');
    }
    const stopped = Promise.all(all.map((supervised) => supervised.exited));
    if ((await Promise.race([stopped.then(() => true), sleep(graceMs).then(() => false)])) === false) {
      for (const supervised of all) supervised.child.kill('SIGKILL');
      await stopped;
    }
  }

  private async restartAfterCrash(role: RoleName): Promise<void> {
    const pauseMs = this.restartPause.get(role) ?? 1000;
    this.restartPause.set(role, Math.min(pauseMs * 2, 16_000));
    await sleep(pauseMs);
    if (this.stopping || this.running.has(role)) return;
    // A failed start is an exit of its own, recorded and retried by the exit handler.
    await this.start(role).catch(() => undefined);
  }
}
