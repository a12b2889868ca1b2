import type { Pool, PoolClient } from 'pg';

/** Runs `work` on a connection of its own from the pool, for a transaction that spans several queries. */
export async function withClient<Result>(pool: Pool, work: (client: PoolClient) => Promise<Result>): Promise<Result> {
  const client = await pool.connect();
  try {
    const result = await work(client);
    client.release();
    return result;
  } catch (error) {
    // The connection's state is unknown after a failure: destroy it rather than hand it to the next batch.
    client.release(true);
    throw error;
  }
}
