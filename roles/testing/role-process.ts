import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { REPO_ROOT } from '../../stack/stack-home';
import type { RoleName } from '../roles';
import { TEST_OPERATORS_ENTRY, TEST_SESSION_SECRET } from '../../api/testing/sessions';

/** Roles run as `npm run role` runs them, in a process of their own, so a test can see whether that process dies, or kill it. */
export interface RoleProcess {
  roles: readonly RoleName[];
  pid: number;
  /** Undefined while it runs; how it ended otherwise. */
  exit(): { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** Its stdout and stderr so far (the last 200 lines). */
  output(): string;
  /** Waits until it logs a message containing `text`; returns that log line's own time (ms since the epoch). */
  waitForLog(text: string, timeoutMs?: number): Promise<number>;
  /** SIGTERM, as an operator stops it, and waits for it to exit. */
  stop(): Promise<void>;
  /** Sends the signal (SIGKILL: as a crash) and waits for it to exit. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

const KEPT_LINES = 200;
const STOP_TIMEOUT_MS = 30_000;

export function spawnRoles(roles: readonly RoleName[], env: NodeJS.ProcessEnv): RoleProcess {
  // Node with tsx's loader, not `npx tsx`: tsx's CLI runs the script in a child process, which a kill of this pid would miss.
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'roles', 'main.ts'), 'role', ...roles], {
    cwd: REPO_ROOT,
    // The test operator and session key, so a test signs in to a spawned API as to the test API.
    env: { SESSION_SECRET: TEST_SESSION_SECRET, OPERATORS: TEST_OPERATORS_ENTRY, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const logged: Array<{ msg: string; time: number }> = [];
  const keep = (chunk: Buffer) => {
    const added = chunk.toString('utf8').split('\n').filter(Boolean);
    lines.push(...added);
    lines.splice(0, Math.max(0, lines.length - KEPT_LINES));
    for (const line of added) {
      try {
        const { msg, time } = JSON.parse(line) as { msg?: unknown; time?: unknown };
        logged.push({ msg: String(msg), time: Number(time) });
      } catch {
        // not a log line of ours
      }
    }
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = new Promise<void>((resolve) => child.once('exit', (code, signal) => resolve(void (exit = { code, signal }))));

  return {
    roles,
    pid: child.pid!,
    exit: () => exit,
    output: () => lines.join('\n'),
    async waitForLog(text, timeoutMs = 90_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const line = logged.find(({ msg }) => msg.includes(text));
        if (line) return line.time;
        if (exit) throw new Error(`${roles.join('+')} exited before logging "${text}":\n${lines.join('\n')}`);
        if (Date.now() > deadline) throw new Error(`${roles.join('+')} did not log "${text}" within ${timeoutMs / 1000}s:\n${lines.join('\n')}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async stop() {
      if (exit) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
    async kill(signal) {
      if (!exit) child.kill(signal);
      await exited;
    },
  };
}

/** Starts roles in a process of their own and waits until they log `readyLog`; logs at info level, so that can be seen. */
export async function startRoles(roles: readonly RoleName[], env: Record<string, string>, readyLog: string): Promise<RoleProcess> {
  const role = spawnRoles(roles, { ...process.env, LOG_LEVEL: 'info', ...env });
  try {
    await role.waitForLog(readyLog);
  } catch (error) {
    await role.kill('SIGKILL');
    throw error;
  }
  return role;
}

/** A port nothing listens on right now, for a server the test starts in another process. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
