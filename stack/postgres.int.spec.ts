import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { loadConfig } from '../config/app-config';
import { createPgPool } from '../config/clients';

describe('PostgreSQL', () => {
  it('creates a table, writes rows and reads them back', async () => {
    const pool = createPgPool(loadConfig().database.url, pino({ level: 'silent' }));
    const table = `stack_check_${Date.now()}_${process.pid}`;
    try {
      await pool.query(`create table ${table} (id serial primary key, tea text not null, sugar int not null)`);
      await pool.query(`insert into ${table} (tea, sugar) values ($1, $2), ($3, $4)`, ['matcha', 50, 'oolong', 0]);
      const { rows } = await pool.query<{ tea: string; sugar: number }>(`select tea, sugar from ${table} order by id`);
      expect(rows).toEqual([
        { tea: 'matcha', sugar: 50 },
        { tea: 'oolong', sugar: 0 },
      ]);
    } finally {
      await pool.query(`drop table if exists ${table}`);
      await pool.end();
    }
  });
});
