import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadStackPorts, loadStackTemporal, type StackPorts, type StackTemporal } from '../config/app-config';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Where one local stack keeps its state. Tools (the Temporal CLI, Kafka's jars) are installed once
 * under `toolsDir` and shared; data, logs and pid files live under `home`, so a second stack with
 * other ports (the lifecycle tests use one) never touches the first.
 */
export interface StackHome {
  home: string;
  toolsDir: string;
  logsDir: string;
  runDir: string;
  dataDir: (service: string) => string;
  logFile: (service: string) => string;
  pidFile: (service: string) => string;
  ports: StackPorts;
  /** Which Temporal server runs (STACK_TEMPORAL). */
  temporal: StackTemporal;
}

export function stackHome(
  options: { home?: string; toolsDir?: string; ports?: StackPorts; temporal?: StackTemporal } = {},
  env: NodeJS.ProcessEnv = process.env,
): StackHome {
  const home = path.resolve(options.home ?? env.STACK_DIR ?? path.join(REPO_ROOT, '.stack'));
  const toolsDir = path.resolve(options.toolsDir ?? env.STACK_TOOLS_DIR ?? path.join(REPO_ROOT, '.stack', 'tools'));
  const logsDir = path.join(home, 'logs');
  const runDir = path.join(home, 'run');
  for (const dir of [home, toolsDir, logsDir, runDir]) mkdirSync(dir, { recursive: true });
  return {
    home,
    toolsDir,
    logsDir,
    runDir,
    dataDir: (service) => path.join(home, 'data', service),
    logFile: (service) => path.join(logsDir, `${service}.log`),
    pidFile: (service) => path.join(runDir, `${service}.pid`),
    ports: options.ports ?? loadStackPorts(env),
    temporal: options.temporal ?? loadStackTemporal(env),
  };
}
