import type { Pool } from 'pg';
import { ANALYST_ROLE } from '../../config/app-config';

/**
 * Lets the analyst role (created by migration 0005 without a login) log in with the configured password.
 * Kept out of the migrations so no password sits in them; run by the projector role after migrating.
 * ALTER ROLE takes no parameters, so the password goes in as an escaped literal.
 */
export async function allowAnalystLogin(pool: Pool, password: string): Promise<void> {
  const client = await pool.connect();
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(`alter role ${client.escapeIdentifier(ANALYST_ROLE.user)} login password ${client.escapeLiteral(password)}`);
        return;
      } catch (error) {
        // Roles are cluster-wide: processes starting together (several projectors, parallel tests) may alter it at the same moment.
        if (attempt >= 5 || !/tuple concurrently updated/.test((error as Error).message)) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      }
    }
  } finally {
    client.release();
  }
}
