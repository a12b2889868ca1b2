import { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { createStationFaultsPublisher, followStationFaults } from '../activities/station-faults-channel';
import { shortagesOf } from '../contracts/stock';
import { createApiApp } from '../api/app';
import { authSettings } from '../api/auth/auth-settings';
import { pgOrderReader } from '../projections/pg-order-reader';
import { pgReportReader } from '../api/report-reader';
import type { AppConfig } from '../config/app-config';
import { createKafka, createPgPool } from '../config/clients';
import { listenToOrderChanges } from '../projections/order-changes-listener';
import { readinessChecks } from './readiness';
import { tracingClientInterceptors } from '../observability/temporal-tracing';
import type { RunningRole } from './running-role';
import { takeTemporalConnection } from './temporal-connection';

/**
 * The api role: HTTP commands into Temporal, queries from the read model through a read-only database role.
 * It needs no PostgreSQL to start or to take orders: while the read model is out of reach, reads answer 503.
 */
export async function startApi(config: AppConfig, logger: Logger): Promise<RunningRole> {
  const temporal = await takeTemporalConnection(config);
  const temporalClient = new Client({ connection: temporal.connection, namespace: config.temporal.namespace, interceptors: tracingClientInterceptors() });
  const readerPool = createPgPool(config.database.readerUrl, logger);
  const kafka = createKafka(config);
  const kafkaAdmin = kafka.admin();
  await kafkaAdmin.connect();
  const stationFaults = createStationFaultsPublisher(kafka);
  // The stations' settings as they change, so the menu and placement know what is sold out.
  const stationSettings = await followStationFaults(kafka, config.stationFaults, logger);
  const orderChanges = await listenToOrderChanges(config.database.readerUrl, logger);

  const app = await createApiApp({
    temporalClient,
    orderReader: pgOrderReader(readerPool),
    reportReader: pgReportReader(readerPool),
    orderChanges,
    readiness: readinessChecks(temporal.connection, kafkaAdmin, readerPool),
    eagerWorkflowStart: true,
    logger,
    temporalUiUrl: config.temporal.uiUrl,
    namespace: config.temporal.namespace,
    orderPolicy: config.orderPolicy,
    auth: authSettings(config.app, logger),
    stationFaults,
    stock: { shortages: () => shortagesOf(stationSettings.all()) },
  });
  await app.listen(config.app.apiPort, config.app.apiHost);
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  logger.info({ url }, 'API listening');
  let closed: () => void;
  const running = new Promise<void>((resolve) => (closed = resolve));

  return {
    name: 'api',
    url,
    running,
    async stop() {
      logger.info('Closing the HTTP server...');
      await orderChanges.close();
      await app.close();
      await kafkaAdmin.disconnect();
      await stationFaults.close();
      await stationSettings.stop();
      await readerPool.end();
      await temporal.release();
      logger.info('API stopped');
      closed();
    },
  };
}
