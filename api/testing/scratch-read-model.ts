import type pg from 'pg';
import pino from 'pino';
import { loadConfig } from '../../config/app-config';
import { createPgPool } from '../../config/clients';
import { createScratchDatabase, roleOn } from '../../projections/testing/scratch-database';

/** A throwaway, migrated read-model database on the local server, with a pool for writing and one for reading. */
export interface ScratchReadModel {
  writer: pg.Pool;
  reader: pg.Pool;
  drop(): Promise<void>;
}

export async function createScratchReadModel(serverUrl: string): Promise<ScratchReadModel> {
  const database = await createScratchDatabase(serverUrl, { prefix: 'api_test' });
  const reader = createPgPool(roleOn(loadConfig().database.readerUrl, database), pino({ level: 'silent' }));
  return {
    writer: database.pool,
    reader,
    async drop() {
      await reader.end();
      await database.drop();
    },
  };
}
