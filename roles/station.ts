import { Worker } from '@temporalio/worker';
import type { Logger } from 'pino';
import { followStationFaults } from '../activities/station-faults-channel';
import { createStationActivities, stationWorkerOptions } from '../activities/stations';
import type { AppConfig } from '../config/app-config';
import { createKafka } from '../config/clients';
import type { Station } from '../contracts/names';
import { tracingWorkerOptions } from '../observability/temporal-tracing';
import type { RunningRole } from './running-role';
import { takeTemporalConnection } from './temporal-connection';

/** A station role (label, mix or top): a worker for that station's activities on its own task queue. */
export async function startStation(station: Station, config: AppConfig, logger: Logger, timeScale = config.app.stationTimeScale): Promise<RunningRole> {
  const faults = await followStationFaults(createKafka(config), config.stationFaults, logger, [station]);
  const temporal = await takeTemporalConnection(config);
  const options = stationWorkerOptions(station, createStationActivities({ timeScale, faultsOf: faults.faultsOf }));
  const worker = await Worker.create({
    connection: temporal.connection,
    namespace: config.temporal.namespace,
    ...options,
    ...tracingWorkerOptions({ workflows: false }),
  });
  const running = worker.run();
  logger.info({ taskQueue: options.taskQueue, timeScale, faults: faults.faultsOf(station) }, `Station ${station} worker started`);
  return {
    name: `station:${station}`,
    running,
    async stop() {
      logger.info(`Shutting down the ${station} station worker...`);
      worker.shutdown();
      await running;
      await temporal.release();
      await faults.stop();
      logger.info(`Station ${station} stopped`);
    },
  };
}
