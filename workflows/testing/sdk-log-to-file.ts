import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { DefaultLogger, Runtime, type LogEntry } from '@temporalio/worker';
import { REPO_ROOT } from '../../stack/stack-home';

/**
 * Installs the Temporal SDK's runtime with its log (the workers' and the workflows' own lines, such as an
 * order failing on a path under test) going to `test-results/<name>.log`, so the test output stays readable.
 */
export function installRuntimeLoggingTo(name: string): void {
  const file = path.join(REPO_ROOT, 'test-results', `${name}.log`);
  mkdirSync(path.dirname(file), { recursive: true });
  const toFile = (entry: LogEntry) => appendFileSync(file, `${JSON.stringify({ level: entry.level, message: entry.message, ...entry.meta })}\n`);
  Runtime.install({ logger: new DefaultLogger('INFO', toFile), shutdownSignals: [], telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } } });
}
