import pino from 'pino';
import type { Pool } from 'pg';
import { loadConfig, type AppConfig } from '../config/app-config';
import { createKafka, createPgPool } from '../config/clients';
import { normalOrderId } from '../contracts/ids';
import { listParkedOrders } from './parking';
import { rebuildReadModel, type RebuildProgress } from './rebuild';
import { readModelStatus } from './status';
import { unparkOrder } from './unpark';
import { verifyReadModel } from './verify';

const USAGE = `npm run projections -- status              lag behind the log, last applied event, parked and dead-lettered counts
npm run projections -- verify              fold the whole log again and compare every order; exit code 1 on any difference
npm run projections -- rebuild             build a fresh read model from the first event and swap it in, while the API reads on
npm run projections -- parked              list parked orders: their reason and how many events wait
npm run projections -- unpark <orderId>     apply a parked order's events again, once what refused them is fixed`;

const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn' });

async function main([command, orderId]: string[]): Promise<number> {
  const config = loadConfig();
  const pool = createPgPool(config.database.url, logger);
  try {
    switch (command) {
      case 'status':
        return await status(config, pool);
      case 'verify':
        return await verify(config, pool);
      case 'rebuild':
        return await rebuild(config);
      case 'parked': {
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
      case 'unpark': {
        const id = orderId === undefined ? undefined : normalOrderId(orderId);
        if (id === undefined) break;
        const outcome = await unparkOrder(pool, id);
        if ('applied' in outcome) {
          console.log(`Order ${orderId}: ${outcome.applied} event(s) applied; it is no longer parked.`);
          return 0;
        }
        console.error(`Order ${orderId} stays parked: ${outcome.stillParked}`);
        return 1;
      }
    }
    console.error(USAGE);
    return 2;
  } finally {
    await pool.end();
  }
}

async function status(config: AppConfig, pool: Pool): Promise<number> {
  const found = await readModelStatus({ kafka: createKafka(config), pool });
  const age = found.lastAppliedAt ? `${((Date.now() - found.lastAppliedAt.getTime()) / 1000).toFixed(1)} s ago (${found.lastAppliedAt.toISOString()})` : 'never';
  console.log(`lag                 ${found.lag} message(s) not yet applied (${found.partitions.map((partition) => `p${partition.partition}: ${partition.lag}`).join(', ')})`);
  console.log(`last applied event  ${age}`);
  console.log(`read model          ${found.orders} order(s), ${found.events} event(s)`);
  console.log(`parked              ${found.parkedOrders} order(s), ${found.parkedEvents} event(s) waiting`);
  console.log(`dead-lettered       ${found.deadLettered} message(s)`);
  if (found.rebuildInProgress) console.log('rebuild             a copy is being built (or a rebuild was interrupted; the next one starts afresh)');
  return 0;
}

async function verify(config: AppConfig, pool: Pool): Promise<number> {
  const result = await verifyReadModel({ kafka: createKafka(config), pool });
  for (const { orderId, problem } of result.differences) console.log(`${orderId}  ${problem}`);
  console.log(
    `${result.ordersInLog} order(s) in the log, ${result.ordersCompared} compared, ${result.differences.length} difference(s)` +
      ` (not compared: ${result.parked} parked, ${result.movedOn} moved on while verifying)`,
  );
  return result.differences.length === 0 ? 0 : 1;
}

/** A progress bar on stderr, redrawn in place on a terminal and printed every few seconds otherwise; the log's end moves as orders come in. */
function rebuildProgress(): (progress: RebuildProgress) => void {
  const width = 30;
  let printedAt = 0;
  return ({ done, total, eventsPerSecond }) => {
    const filled = Math.round((total > 0 ? Math.min(1, done / total) : 1) * width);
    const line = `rebuild [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} events, ${eventsPerSecond.toFixed(0)} events/s`;
    if (process.stderr.isTTY) process.stderr.write(`\r${line}`);
    else if (Date.now() - printedAt > 5_000 || done >= total) {
      printedAt = Date.now();
      process.stderr.write(`${line}\n`);
    }
  };
}

async function rebuild(config: AppConfig): Promise<number> {
  const result = await rebuildReadModel({ kafka: createKafka(config), databaseUrl: config.database.url, logger, onProgress: rebuildProgress() });
  if (process.stderr.isTTY) process.stderr.write('\n');
  console.log(
    `Read model rebuilt from ${result.messages} events (folded at ${result.eventsPerSecond.toFixed(0)} events/s) and swapped in, in ${result.seconds.toFixed(1)} s;` +
      ` the live projector waited ${result.heldMs} ms${result.views.length > 0 ? `; views re-pointed: ${result.views.join(', ')}` : ''}.`,
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
