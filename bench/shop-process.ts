import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { openSync } from 'node:fs';
import net from 'node:net';
import { REPO_ROOT } from '../stack/stack-home';

/* The whole shop in one child process, as `npm start` runs it, so its memory and CPU can be told apart from the load's. */

export interface ShopProcess {
  pid: number;
  api: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const BENCH_TOKEN = randomBytes(16).toString('hex');

/** The benchmarks place and read orders as an operator (the shop's ADMIN_TOKEN), who may reach every order. */
export const BENCH_AUTHORIZATION = { authorization: `Bearer ${BENCH_TOKEN}` } as const;

/** Extra Node flags for the shop, e.g. `BENCH_SHOP_NODE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/shop-profile"`. */
function nodeFlags(): string[] {
  return (process.env.BENCH_SHOP_NODE_FLAGS ?? '').split(' ').filter(Boolean);
}

export async function startShopProcess(settings: Record<string, string>, logFile: string): Promise<ShopProcess> {
  const port = await freePort();
  const log = openSync(logFile, 'a');
  const child: ChildProcess = spawn(
    process.execPath,
    [...nodeFlags(), '--import', 'tsx', 'roles/main.ts', 'role', 'projector', 'orchestrator', 'station:label', 'station:mix', 'station:top', 'api'],
    { cwd: REPO_ROOT, env: { ...process.env, ...settings, ADMIN_TOKEN: BENCH_TOKEN, API_PORT: String(port), API_HOST: '127.0.0.1' }, stdio: ['ignore', log, log] },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  // The shop must not outlive the bench, however the bench ends.
  const killShop = () => child.kill('SIGKILL');
  process.once('exit', killShop);
  const api = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the shop exited with code ${child.exitCode} while starting; see ${logFile}`);
    const ready = await fetch(`${api}/ready`).then((response) => response.ok, () => false);
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the shop was not ready within 120 s; see ${logFile}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    pid: child.pid!,
    api,
    async stop() {
      process.off('exit', killShop);
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
