import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { stringify } from 'yaml';
import { LOCAL_STACK_DEFAULTS } from '../config/app-config';
import { isPortFree } from './processes';
import { requireCommand, run, type ServiceDefinition } from './service';
import type { StackHome } from './stack-home';
import { isFrontendServing, registerNamespaces, temporalService } from './temporal';

/**
 * A real Temporal server on the stack's PostgreSQL (STACK_TEMPORAL=postgres): every service in one process, with a
 * pool of database connections instead of the dev server's one SQLite connection. Built on first use with the
 * machine's Go from the module `go.temporal.io/server`; its schema is applied by its own `temporal-sql-tool`.
 * It has no Web UI.
 */

/** v1.32.2 asks for Go 1.26.10; v1.32.1 builds with the machine's Go 1.26.8 and matches the dev server's 1.32. */
export const TEMPORAL_SERVER_VERSION = '1.32.1';
const GO_MODULE_GO_VERSION = '1.26.8';
/** Fixed when the database is created: the server refuses to start with another number. Enough for 2 cores. */
const HISTORY_SHARDS = 4;
/** Per service of the four in the process; the stack's PostgreSQL allows 200 connections in all. */
const MAX_CONNECTIONS = { history: 20, visibility: 10 };
const DATABASES = { temporal: 'postgresql/v12/temporal', temporal_visibility: 'postgresql/v12/visibility' } as const;
const { POSTGRES_USER, POSTGRES_PASSWORD } = LOCAL_STACK_DEFAULTS;

const installDir = (home: StackHome) => path.join(home.toolsDir, `temporal-server-${TEMPORAL_SERVER_VERSION}`);
const temporalServerPath = (home: StackHome) => path.join(installDir(home), 'bin', 'temporal-server');
const sqlToolPath = (home: StackHome) => path.join(installDir(home), 'bin', 'temporal-sql-tool');
const dataDir = (home: StackHome) => home.dataDir('temporal-postgres');

/** Builds both binaries in a scratch module and moves them in only when both are built. */
async function build(home: StackHome, progress: (line: string) => void): Promise<void> {
  await requireCommand('go', 'to build the Temporal server for STACK_TEMPORAL=postgres', ['version']);
  mkdirSync(path.join(installDir(home), 'bin'), { recursive: true });
  const scratch = mkdtempSync(path.join(installDir(home), 'build-'));
  try {
    writeFileSync(path.join(scratch, 'go.mod'), `module local.stack/temporal-server\n\ngo ${GO_MODULE_GO_VERSION}\n\nrequire go.temporal.io/server v${TEMPORAL_SERVER_VERSION}\n`);
    // As the server's own Makefile builds them; -mod=mod lets go resolve and record the module's dependencies.
    const env = { CGO_ENABLED: '0', GOFLAGS: '-mod=mod -buildvcs=false', GOTOOLCHAIN: 'local' };
    const started = Date.now();
    progress(`building the Temporal server ${TEMPORAL_SERVER_VERSION} and temporal-sql-tool with go build into ${installDir(home)} (first use only: minutes)`);
    const binaries = [
      ['go.temporal.io/server/cmd/tools/sql', sqlToolPath(home)],
      ['go.temporal.io/server/cmd/server', temporalServerPath(home)],
    ] as const;
    for (const [pkg, target] of binaries) {
      await run('nice', ['-n', '19', 'go', 'build', '-tags', 'disable_grpc_modules', '-o', path.join(scratch, path.basename(target)), pkg], { cwd: scratch, env });
    }
    for (const [, target] of binaries) renameSync(path.join(scratch, path.basename(target)), target);
    progress(`built in ${Math.round((Date.now() - started) / 1000)}s`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function createDatabases(home: StackHome): Promise<void> {
  const client = new pg.Client({ host: '127.0.0.1', port: home.ports.POSTGRES_PORT, user: POSTGRES_USER, password: POSTGRES_PASSWORD, database: 'postgres' });
  await client.connect();
  try {
    for (const database of Object.keys(DATABASES)) {
      const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [database]);
      if (rowCount === 0) await client.query(`create database ${database}`);
    }
  } finally {
    await client.end();
  }
}

/** Versioning tables, then every versioned step from the schema embedded in the tool: a no-op when up to date. */
async function applySchemas(home: StackHome): Promise<void> {
  for (const [database, schema] of Object.entries(DATABASES)) {
    const connection = ['--plugin', 'postgres12', '--endpoint', '127.0.0.1', '--port', String(home.ports.POSTGRES_PORT), '--user', POSTGRES_USER, '--password', POSTGRES_PASSWORD, '--database', database];
    await run(sqlToolPath(home), [...connection, 'setup-schema', '--version', '0.0']);
    await run(sqlToolPath(home), [...connection, 'update-schema', '--schema-name', schema]);
  }
}

const INTERNAL_PORTS = ['frontendMembership', 'history', 'historyMembership', 'matching', 'matchingMembership', 'worker', 'workerMembership'] as const;
type InternalPorts = Record<(typeof INTERNAL_PORTS)[number], number>;

/**
 * PostgreSQL's schema keeps a membership port as a smallint, so every port here is below 32768 (the kernel's
 * ephemeral ports are above it), and away from the fixed ports the stack's own tests use (15432 to 19093, 27233 up).
 */
const INTERNAL_PORT_RANGE = { from: 22_000, to: 27_000 };

async function pickFreePorts(): Promise<InternalPorts> {
  const picked = new Set<number>();
  while (picked.size < INTERNAL_PORTS.length) {
    const port = INTERNAL_PORT_RANGE.from + Math.floor(Math.random() * (INTERNAL_PORT_RANGE.to - INTERNAL_PORT_RANGE.from));
    if (!picked.has(port) && (await isPortFree(port))) picked.add(port);
  }
  const ports = [...picked];
  return Object.fromEntries(INTERNAL_PORTS.map((name, index) => [name, ports[index]!])) as InternalPorts;
}

/**
 * Ports of the services inside the process, picked once from the free ones (the dev server picks at every start)
 * and kept, so the membership records a restart finds in the database still point at this server.
 */
async function internalPorts(home: StackHome): Promise<InternalPorts> {
  const file = path.join(dataDir(home), 'ports.json');
  if (existsSync(file)) {
    const kept = JSON.parse(readFileSync(file, 'utf8')) as InternalPorts;
    if ((await Promise.all(INTERNAL_PORTS.map((name) => isPortFree(kept[name])))).every(Boolean)) return kept;
  }
  const picked = await pickFreePorts();
  writeFileSync(file, JSON.stringify(picked));
  return picked;
}

function serverConfig(home: StackHome, ports: InternalPorts, dynamicConfigFile: string): object {
  const frontend = `127.0.0.1:${home.ports.TEMPORAL_PORT}`;
  const store = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName,
      connectAddr: `127.0.0.1:${home.ports.POSTGRES_PORT}`,
      connectProtocol: 'tcp',
      user: POSTGRES_USER,
      password: POSTGRES_PASSWORD,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const service = (grpcPort: number, membershipPort: number) => ({ rpc: { grpcPort, membershipPort, bindOnIP: '127.0.0.1' } });
  const disabled = () => ({ history: { state: 'disabled' }, visibility: { state: 'disabled' } });
  return {
    log: { stdout: true, level: 'warn', format: 'json' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: HISTORY_SHARDS,
      datastores: {
        'postgres-default': store('temporal', MAX_CONNECTIONS.history),
        'postgres-visibility': store('temporal_visibility', MAX_CONNECTIONS.visibility),
      },
    },
    global: { membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' } },
    services: {
      frontend: service(home.ports.TEMPORAL_PORT, ports.frontendMembership),
      history: service(ports.history, ports.historyMembership),
      matching: service(ports.matching, ports.matchingMembership),
      worker: service(ports.worker, ports.workerMembership),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: { active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: frontend } },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    archival: disabled(),
    namespaceDefaults: { archival: disabled() },
    publicClient: { hostPort: frontend },
    dynamicConfigClient: { filepath: dynamicConfigFile, pollInterval: '60s' },
  };
}

/** What the dev server sets beyond the server's defaults, so both flavours are measured alike. */
const DYNAMIC_CONFIG = {
  'frontend.namespaceRPS.visibility': [{ value: 100 }],
  'history.hostLevelCacheMaxSize': [{ value: 8192 }],
};

export const temporalPostgresService: ServiceDefinition = {
  name: 'temporal',
  executable: temporalServerPath,
  dependsOn: () => ['postgres'],
  address: (home) => `127.0.0.1:${home.ports.TEMPORAL_PORT} (server ${TEMPORAL_SERVER_VERSION} on PostgreSQL, no UI)`,
  stopSignal: 'SIGTERM',
  readyTimeoutMs: 120_000,

  async install(home, progress) {
    // The Temporal CLI too: the command-line client that operators and tests use with either flavour.
    await temporalService.install(home, progress);
    if (existsSync(temporalServerPath(home)) && existsSync(sqlToolPath(home))) return;
    await build(home, progress);
  },

  async prepare(home) {
    mkdirSync(dataDir(home), { recursive: true });
    await createDatabases(home);
    await applySchemas(home);
    const configFile = path.join(dataDir(home), 'config.yaml');
    const dynamicConfigFile = path.join(dataDir(home), 'dynamic-config.yaml');
    writeFileSync(dynamicConfigFile, stringify(DYNAMIC_CONFIG));
    writeFileSync(configFile, stringify(serverConfig(home, await internalPorts(home), dynamicConfigFile)));
    return { executable: temporalServerPath(home), args: ['--config-file', configFile, '--allow-no-auth', 'start'] };
  },

  isHealthy: isFrontendServing,
  afterReady: (home) => registerNamespaces(home),
};
