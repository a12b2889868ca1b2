import { spawn, type SpawnOptions } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/* Background server processes tracked by pid files, so `up`, `down` and `status` work across invocations. */

export interface PidRecord {
  pid: number;
  executable: string;
  startedAt: string;
}

export interface LaunchSpec {
  executable: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  uid?: number;
  gid?: number;
}

export function readPidRecord(pidFile: string): PidRecord | undefined {
  if (!existsSync(pidFile)) return undefined;
  try {
    return JSON.parse(readFileSync(pidFile, 'utf8')) as PidRecord;
  } catch {
    return undefined;
  }
}

/** True when the pid is alive, not a zombie, and still runs the executable we started (pids get reused). */
export function isRunning(record: PidRecord | undefined): record is PidRecord {
  if (!record) return false;
  try {
    process.kill(record.pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${record.pid}/stat`, 'utf8');
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return false;
    const cmdline = readFileSync(`/proc/${record.pid}/cmdline`, 'utf8');
    // An exiting process has lost its command line but may still hold its ports: it still counts as running.
    return cmdline === '' || cmdline.includes(record.executable);
  } catch {
    return false;
  }
}

/**
 * True once the pid is gone for good: exited and reaped, or reused by another program. A killed server is a
 * zombie until its parent (often init) reaps it, and its pid still exists meanwhile: PostgreSQL, for one,
 * refuses to start while the pid in its old lock file exists.
 */
export function isGone(record: PidRecord): boolean {
  try {
    const stat = readFileSync(`/proc/${record.pid}/stat`, 'utf8');
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return false;
    const cmdline = readFileSync(`/proc/${record.pid}/cmdline`, 'utf8');
    return cmdline !== '' && !cmdline.includes(record.executable);
  } catch {
    return true;
  }
}

/** The pids of processes whose working directory is `dir` (those this user may inspect). */
export function processesWorkingIn(dir: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readlinkSync(`/proc/${pid}/cwd`) === dir;
      } catch {
        return false;
      }
    })
    .map(Number);
}

export function startDetached(spec: LaunchSpec, logFile: string, pidFile: string): PidRecord {
  const log = openSync(logFile, 'a');
  writeFileSync(log, `\n--- started ${new Date().toISOString()}: ${spec.executable} ${spec.args.join(' ')}\n`);
  const options: SpawnOptions = {
    cwd: spec.cwd,
    env: { ...process.env, ...spec.env },
    detached: true,
    stdio: ['ignore', log, log],
    uid: spec.uid,
    gid: spec.gid,
  };
  const child = spawn(spec.executable, spec.args, options);
  closeSync(log);
  child.unref();
  if (child.pid === undefined) throw new Error(`could not start ${spec.executable} (see ${logFile})`);
  const record: PidRecord = { pid: child.pid, executable: spec.executable, startedAt: new Date().toISOString() };
  writeFileSync(pidFile, JSON.stringify(record));
  return record;
}

/** Sends `signal`, waits for the process to exit, and kills its process group if it does not. */
export async function stopProcess(record: PidRecord, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  try {
    process.kill(record.pid, signal);
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isRunning(record)) return;
    await sleep(100);
  }
  try {
    process.kill(-record.pid, 'SIGKILL');
  } catch {
    // already gone
  }
  while (isRunning(record)) await sleep(50);
}

export function removePidFile(pidFile: string): void {
  rmSync(pidFile, { force: true });
}

export async function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export async function waitUntil(
  probe: () => Promise<boolean>,
  { timeoutMs, intervalMs = 250, onTimeout, giveUp }: { timeoutMs: number; intervalMs?: number; onTimeout: () => Error; giveUp?: () => Error | undefined },
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return;
    const reason = giveUp?.();
    if (reason) throw reason;
    if (Date.now() > deadline) throw onTimeout();
    await sleep(intervalMs);
  }
}
