import { SetMetadata } from '@nestjs/common';
import { drinkSchema, placeOrderSchema } from '../contracts/order-input';
import { stationFaultsSchema } from '../contracts/station-faults';
import { RETRY_AFTER_SECONDS } from './api-error';
import { SESSION_COOKIE } from './auth/session';
import { cancelOrderSchema } from './cancel-order-request';
import { orderDelaySchema, orderStateSchema, orderViewSchema } from './order-view';
import { reportListSchema } from './report-schemas';
import { apiErrorSchema, healthSchema, menuSchema, orderAcceptedSchema, orderPageSchema, readinessSchema, stationFaultsChangedSchema } from './response-schemas';

/*
 * What the OpenAPI document says of an operation beyond what its route declares: its name, its summary and its
 * answers, written beside the handler with @ApiDoc. Paths, methods, parameters, bodies and security come from
 * the routes themselves (openapi.ts).
 */

export type JsonSchema = Record<string, unknown>;

/** The schemas the document names (`#/components/schemas/<id>`); a body whose schema is one of them is referenced. */
export const COMPONENTS = {
  PlaceOrder: placeOrderSchema,
  Drink: drinkSchema,
  OrderAccepted: orderAcceptedSchema,
  OrderState: orderStateSchema,
  OrderDelay: orderDelaySchema,
  Order: orderViewSchema,
  OrderPage: orderPageSchema,
  CancelOrder: cancelOrderSchema,
  StationFaults: stationFaultsSchema,
  StationFaultsChanged: stationFaultsChangedSchema,
  Menu: menuSchema,
  Error: apiErrorSchema,
  Health: healthSchema,
  Readiness: readinessSchema,
  ReportList: reportListSchema,
} as const;

export type ComponentId = keyof typeof COMPONENTS;

export const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
export const json = (id: ComponentId) => ({ 'application/json': { schema: ref(id) } });
export const error = (description: string) => ({ description, content: json('Error') });
/** Every 503 carries Retry-After. */
export const unavailable = (description: string) => ({
  ...error(description),
  headers: { 'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer', example: RETRY_AFTER_SECONDS } } },
});
export const READ_MODEL_UNAVAILABLE = unavailable('The read model is out of reach (PostgreSQL down or restarting); orders are still taken.');
/** What a customer may not see or do; documented on every order route. */
export const NOT_THIS_SESSIONS = 'Not this session’s to see or do (another customer’s list, the stream of all orders), or a cross-site change.';
export const EVENT_STREAM = { description: 'An endless `text/event-stream`.', content: { 'text/event-stream': { schema: { type: 'string' } } } };

export const ADMIN_SECURITY_SCHEME = 'adminToken';
export const SECURITY_SCHEMES = {
  session: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The `token` a sign-in answers (POST /sessions or /sessions/operator).' },
  sessionCookie: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'The HttpOnly cookie a sign-in sets; changes that ride on it must be same-site JSON.' },
  [ADMIN_SECURITY_SCHEME]: { type: 'http', scheme: 'bearer', description: 'The ADMIN_TOKEN the API runs with: it acts as an operator, for scripts.' },
};
/** What a route behind a session guard takes: the bearer token or the cookie. */
export const SESSION_SECURITY: Array<Record<string, string[]>> = [{ session: [] }, { sessionCookie: [] }];

export interface OperationDoc {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  /** Replaces what the route's guards imply; `[]` for a route anyone may call. */
  security?: Array<Record<string, string[]>>;
  /** Parameters the route reads without a pipe (such as `Last-Event-ID`), after those of its pipes. */
  parameters?: JsonSchema[];
  /** By status; 401 is added for a route behind a session guard unless given here. */
  responses?: Record<string, JsonSchema>;
  /**
   * One documented path per value of a path parameter, each with its own summary and answer (each report
   * documents its own rows); the parameter itself is then not listed.
   */
  each?: { param: string; values: readonly string[]; doc: (value: string) => OperationDoc };
}

export const API_DOC = 'bubble-tea:api-doc';

/** On a handler: its operation in the document. On a controller: what every operation of it shares (tags, 403). */
export const ApiDoc = (doc: OperationDoc) => SetMetadata(API_DOC, doc);
