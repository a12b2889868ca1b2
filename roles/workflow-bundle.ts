import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../stack/stack-home';

/**
 * The order workflow's code, bundled by the Temporal SDK (webpack) in a short-lived child process: bundling
 * in the worker's own process leaves a few hundred MiB of webpack's memory behind for the process's life.
 */
export async function bundleOrderWorkflows(interceptorModules: string[] = []): Promise<string> {
  const script = fileURLToPath(new URL('./workflow-bundler.ts', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script, ...interceptorModules], { cwd: REPO_ROOT, maxBuffer: 64 * 2 ** 20 });
  return stdout;
}
