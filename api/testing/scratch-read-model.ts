import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { READER_ROLE } from '../../config/app-config';
import { migrateReadModel } from '../../projections/migrate';

/** A throwaway, migrated read-model database on the local server, with a pool for writing and one for reading. */
export interface ScratchReadModel {
  writer: pg.Pool;
  reader: pg.Pool;
  drop(): Promise<void>;
}

function withDatabase(serverUrl: string, database: string, role?: { user: string; password: string }): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  if (role) {
    url.username = role.user;
    url.password = role.password;
  }
  return url.toString();
}

async function asAdmin(serverUrl: string, sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

export async function createScratchReadModel(serverUrl: string): Promise<ScratchReadModel> {
  const name = `api_test_${randomBytes(6).toString('hex')}`;
  await asAdmin(serverUrl, `create database ${name}`);
  await migrateReadModel(withDatabase(serverUrl, name));
  const writer = new pg.Pool({ connectionString: withDatabase(serverUrl, name) });
  const reader = new pg.Pool({ connectionString: withDatabase(serverUrl, name, READER_ROLE) });
  return {
    writer,
    reader,
    async drop() {
      await Promise.all([writer.end(), reader.end()]);
      await asAdmin(serverUrl, `drop database if exists ${name} with (force)`);
    },
  };
}
