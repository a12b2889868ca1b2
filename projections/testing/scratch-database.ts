import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import pino from 'pino';
import { createPgPool } from '../../config/clients';
import { migrateReadModel } from '../migrate';

/* A throwaway, migrated database on the configured server, so tests never see each other's rows. */

export interface ScratchDatabase {
  name: string;
  url: string;
  pool: pg.Pool;
  drop(): Promise<void>;
}

function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export interface ScratchOptions {
  prefix?: string;
  /** False leaves the database empty, for testing the migrations themselves. */
  migrate?: boolean;
}

export async function createScratchDatabase(serverUrl: string, options: ScratchOptions = {}): Promise<ScratchDatabase> {
  const name = `${options.prefix ?? 'projector_test'}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(serverUrl, name);
  if (options.migrate !== false) await migrateReadModel(url);
  // With its 'error' listener: `drop` may end a connection the pool is still closing.
  const pool = createPgPool(url, pino({ level: 'silent' }));
  return {
    name,
    url,
    pool,
    async drop() {
      await pool.end();
      const cleaner = new pg.Client({ connectionString: serverUrl });
      await cleaner.connect();
      try {
        await dropWhenAllowed(cleaner, name);
      } finally {
        await cleaner.end();
      }
    },
  };
}

/** Postgres's insufficient_privilege: the owner may not end a superuser's backend, such as an autovacuum worker's. */
const INSUFFICIENT_PRIVILEGE = '42501';
const DROP_ATTEMPTS = 100;

/** Drops the database, ending its other sessions; waits out the few it may not end, which soon finish. */
async function dropWhenAllowed(cleaner: pg.Client, name: string): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await cleaner.query(`drop database if exists ${name} with (force)`);
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== INSUFFICIENT_PRIVILEGE || attempt === DROP_ATTEMPTS) throw error;
      await sleep(100);
    }
  }
}

/** A role's URL (from the configuration, e.g. the reader's) pointed at a scratch database. */
export function roleOn(roleUrl: string, database: ScratchDatabase): string {
  return withDatabase(roleUrl, database.name);
}

/** The same database as another role. */
export function urlAs(databaseUrl: string, user: string, password: string): string {
  const url = new URL(databaseUrl);
  url.username = user;
  url.password = password;
  return url.toString();
}
