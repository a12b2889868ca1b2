import type { ModuleMetadata } from '@nestjs/common';
import type { ApiDeps, TemporalUiSettings } from './api-deps';
import { HealthController } from './health.controller';
import { MenuController } from './menu.controller';
import { OrderLookup } from './order-lookup';
import { OrderPlacement } from './order-placement';
import { OrdersController } from './orders.controller';
import { API_LOGGER, ORDER_READER, READINESS_CHECKS, TEMPORAL_CLIENT, TEMPORAL_UI_SETTINGS } from './tokens';

/** The API's one module, with the outside world supplied as values rather than constructed here. */
export function apiModule(deps: ApiDeps): ModuleMetadata {
  const temporalUi: TemporalUiSettings = { temporalUiUrl: deps.temporalUiUrl, namespace: deps.namespace };
  return {
    controllers: [OrdersController, MenuController, HealthController],
    providers: [
      { provide: TEMPORAL_CLIENT, useValue: deps.temporalClient },
      { provide: ORDER_READER, useValue: deps.orderReader },
      { provide: READINESS_CHECKS, useValue: deps.readiness },
      { provide: API_LOGGER, useValue: deps.logger },
      { provide: TEMPORAL_UI_SETTINGS, useValue: temporalUi },
      OrderPlacement,
      OrderLookup,
    ],
  };
}
