import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config';
import { createKafka, createPgPool } from '../config/clients';
import { migrateReadModel } from '../projections/migrate';
import { createProjector } from '../projections/projector';
import type { RunningRole } from './running-role';

/** The projector role: migrates the read model, then folds order events from Kafka into PostgreSQL. */
export async function startProjector(config: AppConfig, logger: Logger): Promise<RunningRole> {
  const applied = await migrateReadModel(config.database.url, logger);
  logger.info({ applied }, applied.length > 0 ? 'Read model migrated' : 'Read model schema is up to date');
  const pool = createPgPool(config);
  const projector = createProjector({ kafka: createKafka(config), pool, logger });
  await projector.start();
  logger.info('Projector started');
  return {
    name: 'projector',
    running: new Promise(() => undefined),
    async stop() {
      logger.info('Closing the projector consumer in its consumer group...');
      await projector.stop();
      await pool.end();
      logger.info('Projector stopped');
    },
  };
}
