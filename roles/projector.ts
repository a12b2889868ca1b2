import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config';
import { createKafka, createPgPool } from '../config/clients';
import { isKafkaUnavailable, isPostgresUnavailable } from '../config/server-unavailable';
import { migrateReadModel } from '../projections/migrate';
import { createProjector } from '../projections/projector';
import { allowAnalystLogin } from '../projections/reports/analyst-role';
import { startRollupRefresher } from '../projections/reports/rollups';
import type { RunningRole } from './running-role';
import { untilAvailable } from './until-available';

/**
 * The projector role: migrates the read model, then folds order events from Kafka into PostgreSQL. Started
 * before its servers, it waits for them; when PostgreSQL restarts later, the consumer retries the event it was
 * applying (kafkajs restarts it after its retries) and goes on where it stopped. It also gives the analyst role
 * its configured password and keeps the reports' rollups refreshed.
 */
export async function startProjector(config: AppConfig, logger: Logger): Promise<RunningRole> {
  const applied = await untilAvailable('PostgreSQL', () => migrateReadModel(config.database.url, logger), isPostgresUnavailable, logger);
  logger.info({ applied }, applied.length > 0 ? 'Read model migrated' : 'Read model schema is up to date');
  const pool = createPgPool(config.database.url, logger);
  if (config.database.analystPassword !== undefined) {
    await allowAnalystLogin(pool, config.database.analystPassword).catch((error: unknown) =>
      logger.warn({ err: error }, 'The analyst role could not be given its password; reports through it will be refused'),
    );
  }
  const projector = createProjector({ kafka: createKafka(config), pool, logger });
  await untilAvailable('Kafka', () => projector.start(), isKafkaUnavailable, logger);
  const rollups = startRollupRefresher(pool, config.app.reportsRefreshSeconds, logger);
  logger.info('Projector started');
  return {
    name: 'projector',
    running: new Promise(() => undefined),
    async stop() {
      logger.info('Closing the projector consumer in its consumer group...');
      await projector.stop();
      await rollups.stop();
      await pool.end();
      logger.info('Projector stopped');
    },
  };
}
