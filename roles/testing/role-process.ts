import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { REPO_ROOT } from '../../stack/stack-home';
import type { RoleName } from '../roles';

/** Roles run as `npm run role` runs them, in a process of their own, so a test can see whether that process dies. */
export interface RoleProcess {
  roles: readonly RoleName[];
  /** Undefined while it runs; how it ended otherwise. */
  exit(): { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** Its stdout and stderr so far (the last 200 lines). */
  output(): string;
  /** SIGTERM, as an operator stops it, and waits for it to exit. */
  stop(): Promise<void>;
}

const KEPT_LINES = 200;
const STOP_TIMEOUT_MS = 30_000;

export function spawnRoles(roles: readonly RoleName[], env: NodeJS.ProcessEnv): RoleProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'roles', 'main.ts'), 'role', ...roles], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - KEPT_LINES));
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = new Promise<void>((resolve) => child.once('exit', (code, signal) => resolve(void (exit = { code, signal }))));

  return {
    roles,
    exit: () => exit,
    output: () => lines.join('\n'),
    async stop() {
      if (exit) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A port nothing listens on right now, for a server the test starts in another process. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
