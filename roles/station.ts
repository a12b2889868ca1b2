import { Worker } from '@temporalio/worker';
import type { Logger } from 'pino';
import { followStationFaults } from '../activities/station-faults-channel';
import { createStationActivities, STATION_ACTIVITY_NAMES, STATION_WORKER_OPTIONS } from '../activities/stations';
import type { AppConfig } from '../config/app-config';
import { createKafka } from '../config/clients';
import { TASK_QUEUES, type Station } from '../contracts/names';
import { tracingWorkerOptions } from '../observability/temporal-tracing';
import type { RunningRole } from './running-role';
import { takeTemporalConnection } from './temporal-connection';

/** A station role (label, mix or top): a worker for that station's activities on its own task queue. */
export async function startStation(station: Station, config: AppConfig, logger: Logger, timeScale = config.app.stationTimeScale): Promise<RunningRole> {
  const faults = await followStationFaults(createKafka(config), config.stationFaults, logger);
  const all = createStationActivities({ timeScale, faultsOf: faults.faultsOf });
  const activities = Object.fromEntries(STATION_ACTIVITY_NAMES[station].map((name) => [name, all[name]]));
  const temporal = await takeTemporalConnection(config);
  const worker = await Worker.create({
    connection: temporal.connection,
    namespace: config.temporal.namespace,
    taskQueue: TASK_QUEUES[station],
    activities,
    ...STATION_WORKER_OPTIONS,
    ...tracingWorkerOptions({ workflows: false }),
  });
  const running = worker.run();
  logger.info({ taskQueue: TASK_QUEUES[station], timeScale, faults: faults.faultsOf(station) }, `Station ${station} worker started`);
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
