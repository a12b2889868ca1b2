import type { AddressInfo } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import pino from 'pino';
import type { OrderPolicy } from '../../contracts/order-policy';
import type { OrderChangesListener } from '../../projections/order-changes-listener';
import type { ApiDeps } from '../api-deps';
import { createApiApp } from '../app';
import { InMemoryOrderReader } from './in-memory-order-reader';
import { RecordingStationFaultsPublisher } from './recording-station-faults-publisher';
import { TEST_AUTH } from './sessions';

/** The API listening on a free port of 127.0.0.1, with its JSON log lines kept for assertions. */
export interface TestApi {
  app: NestExpressApplication;
  baseUrl: string;
  logs(): Array<Record<string, unknown>>;
  close(): Promise<void>;
}

const ALWAYS_READY: ApiDeps['readiness'] = { temporal: async () => {}, kafka: async () => {}, postgres: async () => {} };

/** Instant stations and generous limits: no test order runs late or past its deadline unless a test says so. */
export const TEST_ORDER_POLICY: OrderPolicy = { stationTimeScale: 0, slaFactor: 1.5, slaGraceSeconds: 60, deadlineSeconds: 900 };

/** For tests that do not report: every report is empty. */
const NO_REPORTS: ApiDeps['reportReader'] = { run: async (name, since) => ({ report: name, since: since?.toISOString() ?? null, rows: [] }) };

/** For tests that do not stream: nothing is ever announced. */
const NO_ORDER_CHANGES: OrderChangesListener = { subscribe: () => () => undefined, close: async () => undefined };

export async function startTestApi(deps: Pick<ApiDeps, 'temporalClient'> & Partial<ApiDeps>): Promise<TestApi> {
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
  const app = await createApiApp({
    orderReader: new InMemoryOrderReader(),
    reportReader: NO_REPORTS,
    readiness: ALWAYS_READY,
    namespace: 'default',
    logger,
    orderPolicy: TEST_ORDER_POLICY,
    stationFaults: new RecordingStationFaultsPublisher(),
    orderChanges: NO_ORDER_CHANGES,
    stock: { shortages: () => [] },
    auth: TEST_AUTH,
    ...deps,
  });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return {
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    logs: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    close: () => app.close(),
  };
}
