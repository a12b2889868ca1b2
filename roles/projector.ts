import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config';
import { createKafka, createPgPool } from '../config/clients';
import { isKafkaUnavailable, isPostgresUnavailable } from '../config/server-unavailable';
import { migrateReadModel } from '../projections/migrate';
import { createProjector } from '../projections/projector';
import { startRollupRefresher } from '../projections/reports/rollups';
import type { RunningRole } from './running-role';
import { untilAvailable } from './until-available';

/**
 * The projector role: migrates the read model (as the schema's owner), then folds order events from Kafka into PostgreSQL
 * through its own role, which may only add and update rows. Started
 * before its servers, it waits for them; when PostgreSQL restarts later, the consumer retries the event it was
 * applying (kafkajs restarts it after its retries) and goes on where it stopped. It also keeps the reports'
 * rollups refreshed (its role may refresh them, MAINTAIN, without owning them).
 */
export async function startProjector(config: AppConfig, logger: Logger): Promise<RunningRole> {
  const applied = await untilAvailable('PostgreSQL', () => migrateReadModel(config.database.url, logger), isPostgresUnavailable, logger);
  logger.info({ applied }, applied.length > 0 ? 'Read model migrated' : 'Read model schema is up to date');
  const pool = createPgPool(config.database.projectorUrl, logger);
  const projector = createProjector({ kafka: createKafka(config), pool, logger });
  await untilAvailable('Kafka', () => projector.start(), isKafkaUnavailable, logger);
  // The projector logs its own start and stop, with its topics.
  const rollups = startRollupRefresher(pool, config.app.reportsRefreshSeconds, logger);
  return {
    name: 'projector',
    running: new Promise(() => undefined),
    async stop() {
      logger.info('Closing the projector consumer in its consumer group...');
      await projector.stop();
      await rollups.stop();
      await pool.end();
    },
  };
}
