import pino from 'pino';
import { loadConfig } from '../config/app-config';
import { createPgPool } from '../config/clients';
import { listParkedOrders } from './parking';
import { unparkOrder } from './unpark';

const USAGE = `npm run projections -- parked              list parked orders: their reason and how many events wait
npm run projections -- unpark <orderId>     apply a parked order's events again, once what refused them is fixed`;

async function main([command, orderId]: string[]): Promise<number> {
  const pool = createPgPool(loadConfig().database.url, pino({ level: 'warn' }));
  try {
    if (command === 'parked') {
      const parked = await pool.connect().then(async (client) => {
        try {
          return await listParkedOrders(client);
        } finally {
          client.release();
        }
      });
      if (parked.length === 0) console.log('No parked orders.');
      for (const order of parked) console.log(`${order.orderId}  since ${order.parkedAt}  ${order.events} event(s) waiting  ${order.reason}`);
      return 0;
    }
    if (command === 'unpark' && orderId) {
      const outcome = await unparkOrder(pool, orderId.toLowerCase());
      if ('applied' in outcome) {
        console.log(`Order ${orderId}: ${outcome.applied} event(s) applied; it is no longer parked.`);
        return 0;
      }
      console.error(`Order ${orderId} stays parked: ${outcome.stillParked}`);
      return 1;
    }
    console.error(USAGE);
    return 2;
  } finally {
    await pool.end();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
