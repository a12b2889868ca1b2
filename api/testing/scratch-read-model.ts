import type pg from 'pg';
import pino from 'pino';
import { READER_ROLE } from '../../config/app-config';
import { createPgPool } from '../../config/clients';
import { createScratchDatabase, urlAs } from '../../projections/testing/scratch-database';

/** A throwaway, migrated read-model database on the local server, with a pool for writing and one for reading. */
export interface ScratchReadModel {
  writer: pg.Pool;
  reader: pg.Pool;
  drop(): Promise<void>;
}

export async function createScratchReadModel(serverUrl: string): Promise<ScratchReadModel> {
  const database = await createScratchDatabase(serverUrl, { prefix: 'api_test' });
  const reader = createPgPool(urlAs(database.url, READER_ROLE.user, READER_ROLE.password), pino({ level: 'silent' }));
  return {
    writer: database.pool,
    reader,
    async drop() {
      await reader.end();
      await database.drop();
    },
  };
}
