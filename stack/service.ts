import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { LaunchSpec } from './processes';
import type { StackHome } from './stack-home';

export type ServiceName = 'temporal' | 'kafka' | 'postgres';

/** What the stack needs to know to install, start, probe and stop one server. */
export interface ServiceDefinition {
  name: ServiceName;
  /** The address a client uses, as printed by `status` and `start`. */
  address(home: StackHome): string;
  /** Installs what is missing under `home.toolsDir`; a no-op when present. */
  install(home: StackHome, progress: (line: string) => void): Promise<void>;
  /** Prepares the data folder on first use and returns the command that runs the server in the foreground. */
  prepare(home: StackHome): Promise<LaunchSpec>;
  /** True once the server answers real requests. */
  isHealthy(home: StackHome): Promise<boolean>;
  /** Idempotent setup that needs the running server (databases, search attributes). */
  afterReady?(home: StackHome): Promise<void>;
  /** Services that must be ready before this one starts, and stop after it. */
  dependsOn?(home: StackHome): ServiceName[];
  /** The executable `prepare` launches: a running process of another one is another flavour of the service. */
  executable?(home: StackHome): string;
  stopSignal: NodeJS.Signals;
  readyTimeoutMs: number;
}

export class StackError extends Error {
  override name = 'StackError';
}

const execFileAsync = promisify(execFile);

/** Runs a setup command; on failure the error carries the command's own output. */
export async function run(executable: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; uid?: number; gid?: number } = {}): Promise<string> {
  try {
    const { stdout } = await execFileAsync(executable, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      uid: options.uid,
      gid: options.gid,
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const failure = error as { code?: string | number; stdout?: string; stderr?: string };
    if (failure.code === 'ENOENT') throw new StackError(`${executable} not found on PATH`);
    const output = `${failure.stdout ?? ''}${failure.stderr ?? ''}`.trim().split('\n').slice(-20).join('\n');
    throw new StackError(`${executable} ${args.join(' ')} failed:\n${output}`);
  }
}

/** Fails with one clear line when a tool the stack needs is not installed. */
export async function requireCommand(executable: string, purpose: string, versionArgs = ['--version']): Promise<string> {
  try {
    const { stdout, stderr } = await execFileAsync(executable, versionArgs);
    return `${stdout}${stderr}`;
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') {
      throw new StackError(`${executable} is required ${purpose}, but it is not installed or not on PATH`);
    }
    const failure = error as { stdout?: string; stderr?: string };
    return `${failure.stdout ?? ''}${failure.stderr ?? ''}`;
  }
}
