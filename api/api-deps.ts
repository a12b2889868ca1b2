import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { OrderPolicy } from '../workflows/order-definitions';
import type { OrderChangesListener } from '../projections/order-changes-listener';
import type { AuthSettings } from './auth/session.guard';
import type { OrderReader } from '../projections/order-reader';
import type { StockLevels } from '../contracts/stock';
import type { ReportReader } from './report-reader';
import type { StationFaultsPublisher } from './station-faults-publisher';

/** One probe per backing service; each resolves when the service answers and rejects when it does not. */
export interface ReadinessChecks {
  temporal(): Promise<void>;
  kafka(): Promise<void>;
  postgres(): Promise<void>;
}

/** Everything the API needs from the outside, so the process that runs it decides how each is built. */
export interface ApiDeps {
  temporalClient: Client;
  orderReader: OrderReader;
  /** The reports of contracts/reports.ts, from the read model's reporting views. */
  reportReader: ReportReader;
  /** Announcements of applied events, which wake the live streams. */
  orderChanges: OrderChangesListener;
  readiness: ReadinessChecks;
  logger: Logger;
  /** Base address of the Temporal Web UI; when set, an order links to its workflow there. */
  temporalUiUrl?: string;
  namespace: string;
  /** The time limits every new order is started with (config.orderPolicy). */
  orderPolicy: OrderPolicy;
  /** Who may sign in and how sessions are signed (api/auth/). */
  auth: AuthSettings;
  stationFaults: StationFaultsPublisher;
  /** What the stations lack now: the menu marks it and placement refuses orders that need it. */
  stock: StockLevels;
  /**
   * Ask the server to hand an order's first workflow task straight back to a worker of this process. Only
   * with a client on a NativeConnection that the orchestrator's worker shares; elsewhere the start is plain.
   */
  eagerWorkflowStart?: boolean;
}

export interface TemporalUiSettings {
  temporalUiUrl: string | undefined;
  namespace: string;
}

