import type { ModuleMetadata } from '@nestjs/common';
import { AdminFaultsController } from './admin-faults.controller';
import type { ApiDeps, TemporalUiSettings } from './api-deps';
import type { OrderViewSettings } from './order-view';
import { CustomerGuard, OperatorGuard } from './auth/session.guard';
import { SessionsController } from './auth/sessions.controller';
import { HealthController } from './health.controller';
import { MenuController } from './menu.controller';
import { MetricsController } from './metrics.controller';
import { OrderCancellation } from './order-cancellation';
import { OrderLookup } from './order-lookup';
import { OrderPlacement, type OrderStartSettings } from './order-placement';
import { CancelOrderController } from './cancel-order.controller';
import { OrderListController } from './order-list.controller';
import { OrdersController } from './orders.controller';
import { OrderStreamController } from './order-stream.controller';
import { ReportsController } from './reports.controller';
import { WebController } from './web/web.controller';
import {
  API_LOGGER,
  AUTH_SETTINGS,
  ORDER_CHANGES,
  ORDER_START,
  ORDER_VIEW_SETTINGS,
  ORDER_READER,
  READINESS_CHECKS,
  REPORT_READER,
  STATION_FAULTS_PUBLISHER,
  STOCK_LEVELS,
  TEMPORAL_CLIENT,
  TEMPORAL_UI_SETTINGS,
} from './tokens';

/** In the order their routes are matched: OrderStreamController before OrdersController, so `/orders/stream` is no order id. */
export const API_CONTROLLERS = [SessionsController, OrderStreamController, OrdersController, OrderListController, CancelOrderController, ReportsController, MenuController, HealthController, MetricsController, AdminFaultsController, WebController];

/** The API's one module, with the outside world supplied as values rather than constructed here. */
export function apiModule(deps: ApiDeps): ModuleMetadata {
  const temporalUi: TemporalUiSettings = { temporalUiUrl: deps.temporalUiUrl, namespace: deps.namespace };
  const orderViews: OrderViewSettings = { ...temporalUi, stationTimeScale: deps.orderPolicy.stationTimeScale };
  return {
    controllers: API_CONTROLLERS,
    providers: [
      { provide: TEMPORAL_CLIENT, useValue: deps.temporalClient },
      { provide: ORDER_READER, useValue: deps.orderReader },
      { provide: REPORT_READER, useValue: deps.reportReader },
      { provide: ORDER_CHANGES, useValue: deps.orderChanges },
      { provide: READINESS_CHECKS, useValue: deps.readiness },
      { provide: API_LOGGER, useValue: deps.logger },
      { provide: TEMPORAL_UI_SETTINGS, useValue: temporalUi },
      { provide: ORDER_VIEW_SETTINGS, useValue: orderViews },
      { provide: AUTH_SETTINGS, useValue: deps.auth },
      { provide: STATION_FAULTS_PUBLISHER, useValue: deps.stationFaults },
      { provide: STOCK_LEVELS, useValue: deps.stock },
      { provide: ORDER_START, useValue: { policy: deps.orderPolicy, eagerStart: deps.eagerWorkflowStart ?? false } satisfies OrderStartSettings },
      OrderPlacement,
      OrderLookup,
      OrderCancellation,
      CustomerGuard,
      OperatorGuard,
    ],
  };
}
