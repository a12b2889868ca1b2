import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { isRunning, readPidRecord } from '../stack/processes';
import type { ServiceName } from '../stack/service';
import { up } from '../stack/stack';
import type { StackHome } from '../stack/stack-home';

/** Kills a server of the local stack by the pid in its pid file, as a crash would. Resolves once it is gone. */
export async function killServer(home: StackHome, service: ServiceName): Promise<number> {
  const record = readPidRecord(home.pidFile(service));
  if (!isRunning(record)) throw new Error(`${service} is not running (no live pid in ${home.pidFile(service)})`);
  const { pid } = record;
  process.kill(pid, 'SIGKILL');
  while (isRunning(record)) await sleep(50);
  return pid;
}

export interface ServerRestart {
  /** Each failed `up`, with its message: a restart that needs several tries is a finding too. */
  failedAttempts: string[];
  restarted: boolean;
}

/** Brings the server back with the stack's own `up`, as an operator would, trying again while it fails. */
export async function restartServer(home: StackHome, service: ServiceName, { attempts = 5, pauseMs = 2000 } = {}): Promise<ServerRestart> {
  const failedAttempts: string[] = [];
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    try {
      await up(home, { services: [service] });
      return { failedAttempts, restarted: true };
    } catch (error) {
      failedAttempts.push(`${(error as Error).message.split('\n')[0]!} (log: ${lastLogLine(home.logFile(service))})`);
      if (attempt < attempts) await sleep(pauseMs);
    }
  }
  return { failedAttempts, restarted: false };
}

/** The servers whose pid file names no live process: one that died without being killed by the suite. */
export function deadServers(home: StackHome, services: readonly ServiceName[]): ServiceName[] {
  return services.filter((service) => !isRunning(readPidRecord(home.pidFile(service))));
}

function lastLogLine(logFile: string): string {
  try {
    return readFileSync(logFile, 'utf8').trimEnd().split('\n').at(-1)?.slice(0, 300) ?? '';
  } catch {
    return '(no log)';
  }
}
