import pg from 'pg';

/**
 * Tells when orders become ready in the read model: the projector announces every applied event with
 * NOTIFY, and an order whose announced status is ready (or whose row says so) is done at that moment.
 */
export interface ReadyWatch {
  /** Resolves with the time the read model showed the order ready. */
  whenReady(orderId: string): Promise<number>;
  close(): Promise<void>;
}

const FIRST_SEQUENCE_OF_READY = 4;

export async function watchReadyOrders(databaseUrl: string): Promise<ReadyWatch> {
  const listener = new pg.Client({ connectionString: databaseUrl });
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  const waiting = new Map<string, (at: number) => void>();
  const check = async (orderId: string, at: number) => {
    const { rows } = await pool.query<{ status: string }>('select status from orders where order_id = $1', [orderId]);
    if (rows[0]?.status === 'ready') {
      waiting.get(orderId)?.(at);
      waiting.delete(orderId);
    }
  };
  listener.on('notification', ({ payload }) => {
    const at = Date.now();
    const { orderId, sequence, status } = JSON.parse(payload ?? '{}') as { orderId: string; sequence: number; status?: string };
    if (!waiting.has(orderId)) return;
    if (status === 'ready') {
      waiting.get(orderId)!(at);
      waiting.delete(orderId);
    } else if (status === undefined && sequence >= FIRST_SEQUENCE_OF_READY) {
      void check(orderId, at);
    }
  });
  await listener.connect();
  await listener.query('listen order_changes');
  return {
    whenReady(orderId) {
      return new Promise((resolve) => {
        waiting.set(orderId, resolve);
        // The order may already be ready, if the projector got there before we started waiting.
        void check(orderId, Date.now());
      });
    },
    async close() {
      await listener.end();
      await pool.end();
    },
  };
}
