import { z } from 'zod';
import { stationSchema } from '../contracts/events';
import { drinkSchema, placeOrderSchema } from '../contracts/order-input';
import { stationFaultsSchema } from '../contracts/station-faults';
import { CANCEL_REFUSED_AFTER_MIXING } from '../workflows/order-definitions';
import { RETRY_AFTER_SECONDS } from './api-error';
import { cancelOrderSchema } from './cancel-order-request';
import { IDEMPOTENCY_KEY_HEADER, idempotencyKeySchema } from './idempotency-key';
import { listOrdersQuerySchema } from './list-orders-query';
import { orderDelaySchema, orderStateSchema, orderViewSchema } from './order-view';
import { SESSION_COOKIE } from './auth/session';
import { REPORT_NAMES, REPORTS } from '../contracts/reports';
import { REPORT_COMPONENTS, reportComponentId, reportListSchema, reportQuerySchema } from './report-schemas';
import {
  apiErrorSchema,
  healthSchema,
  menuSchema,
  orderAcceptedSchema,
  orderPageSchema,
  readinessSchema,
  stationFaultsChangedSchema,
} from './response-schemas';

/**
 * The OpenAPI 3.1 document, generated from the same zod schemas that validate requests, so the
 * documentation cannot drift from what the API accepts. OpenAPI 3.1 schemas are JSON Schema 2020-12.
 */

type JsonSchema = Record<string, unknown>;

const COMPONENTS = {
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

function componentSchemas(): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries({ ...COMPONENTS, ...REPORT_COMPONENTS })) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { io: 'input', uri: (id) => `#/components/schemas/${id}` });
  return Object.fromEntries(
    Object.entries(schemas).map(([id, { $schema: _schema, $id: _id, ...schema }]) => [id, schema as JsonSchema]),
  );
}

function inlineSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _schema, ...rest } = z.toJSONSchema(schema, { io: 'input' }) as JsonSchema;
  return rest;
}

const ref = (id: keyof typeof COMPONENTS) => ({ $ref: `#/components/schemas/${id}` });
const json = (id: keyof typeof COMPONENTS) => ({ 'application/json': { schema: ref(id) } });
const error = (description: string) => ({ description, content: json('Error') });
/** Every 503 carries Retry-After. */
const unavailable = (description: string) => ({
  ...error(description),
  headers: { 'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer', example: RETRY_AFTER_SECONDS } } },
});
const readModelUnavailable = unavailable('The read model is out of reach (PostgreSQL down or restarting); orders are still taken.');

function queryParameters(schema: z.ZodObject) {
  return Object.entries(schema.shape).map(([name, field]) => {
    const fieldSchema = field as z.ZodType;
    const { description, ...parameterSchema } = inlineSchema(fieldSchema);
    return { name, in: 'query', required: !fieldSchema.safeParse(undefined).success, description, schema: parameterSchema };
  });
}

/** One path per report, so each documents its own rows. */
function reportPaths(): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    REPORT_NAMES.map((name) => [
      `/reports/${name}`,
      {
        get: {
          operationId: `report${reportComponentId(name).replace(/Report$/, '')}`,
          summary: REPORTS[name].summary,
          description: `From the SQL view \`reporting.${REPORTS[name].view}\` (and the rows behind it), through the API's read-only role.`,
          tags: ['reports'],
          parameters: queryParameters(reportQuerySchema),
          responses: {
            '200': { description: 'The report.', content: { 'application/json': { schema: { $ref: `#/components/schemas/${reportComponentId(name)}` } } } },
            '400': error('Invalid query.'),
            '503': readModelUnavailable,
          },
        },
      },
    ]),
  );
}

const orderIdParameter = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'The order id (a UUID) from `POST /orders`.',
  schema: { type: 'string', format: 'uuid' },
};

const stationParameter = {
  name: 'station',
  in: 'path',
  required: true,
  description: 'The station whose faults are set.',
  schema: inlineSchema(stationSchema),
};

const ADMIN_SECURITY_SCHEME = 'adminToken';

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, Record<string, unknown>> };
}

const SESSION_SCHEMES = {
  session: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The `token` a sign-in answers (POST /sessions or /sessions/operator).' },
  sessionCookie: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'The HttpOnly cookie a sign-in sets; changes that ride on it must be same-site JSON.' },
};
const CUSTOMER_OR_OPERATOR = [{ session: [] }, { sessionCookie: [] }];

const sessionAnswer = {
  description: 'Signed in: the session, as a cookie (Set-Cookie) and as a bearer token.',
  content: { 'application/json': { schema: { type: 'object', required: ['session', 'token', 'expiresInSeconds'], properties: { session: { type: 'object' }, token: { type: 'string' }, expiresInSeconds: { type: 'integer' } } } } },
};

function signIn(operationId: string, summary: string, properties: Record<string, unknown>) {
  return {
    post: {
      operationId,
      summary,
      security: [],
      requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: Object.keys(properties), properties, additionalProperties: false } } } },
      responses: { '200': sessionAnswer, '400': error('Invalid sign-in.'), '401': error('Unknown operator or wrong password.'), '403': error('A cross-site request.'), '415': error('Content-Type is not application/json.') },
    },
  };
}

const SESSION_PATHS = {
  '/sessions': {
    ...signIn('signInCustomer', 'Sign in as a customer, with a name (a second device signs in the same way)', { customerId: { type: 'string' } }),
    delete: { operationId: 'signOut', summary: 'Sign out: clears the session cookie', security: [], responses: { '204': { description: 'Signed out.' } } },
  },
  '/sessions/operator': signIn('signInOperator', 'Sign in as an operator (OPERATORS)', { name: { type: 'string' }, password: { type: 'string' } }),
  '/sessions/current': {
    get: { operationId: 'currentSession', summary: 'Who this session is', responses: { '200': { description: 'The session.', content: { 'application/json': { schema: { type: 'object' } } } }, '401': error('No session.') } },
  },
};

/** Every operation on orders and reports needs a session: 401 without one, 403 for what only an operator may do. */
function withSessions(paths: Record<string, Record<string, unknown>>): Record<string, Record<string, unknown>> {
  for (const [path, operations] of Object.entries(paths)) {
    if (!path.startsWith('/orders') && !path.startsWith('/reports')) continue;
    for (const operation of Object.values(operations) as Array<{ security?: unknown; responses: Record<string, unknown> }>) {
      operation.security = CUSTOMER_OR_OPERATOR;
      operation.responses['401'] = error('No session: sign in first (POST /sessions).');
      operation.responses['403'] = error(
        path.startsWith('/reports') ? 'Not an operator: reports are for operators.' : 'Not this session’s to see or do (another customer’s list, the stream of all orders), or a cross-site change.',
      );
    }
  }
  return { ...paths, ...SESSION_PATHS };
}

export function buildOpenApiDocument(): OpenApiDocument {
  const { description: keyDescription, ...keySchema } = inlineSchema(idempotencyKeySchema);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Bubble tea shop',
      version: '1.0.0',
      description: 'Place bubble tea orders and watch them move through the label, mix and top stations.',
    },
    paths: withSessions({
      '/orders': {
        post: {
          operationId: 'placeOrder',
          summary: 'Place an order',
          parameters: [{ name: IDEMPOTENCY_KEY_HEADER, in: 'header', required: false, description: keyDescription, schema: keySchema }],
          requestBody: { required: true, content: json('PlaceOrder') },
          responses: {
            '200': {
              description: 'A retry (same Idempotency-Key) of an order that is already over (ready, refunded, ...): the order as it is.',
              headers: { Location: { description: 'Where to watch the order.', schema: { type: 'string' } } },
              content: json('Order'),
            },
            '202': {
              description: 'Accepted: the order is placed and being made.',
              headers: { Location: { description: 'Where to watch the order.', schema: { type: 'string' } } },
              content: json('OrderAccepted'),
            },
            '400': error('Invalid order, invalid JSON or invalid Idempotency-Key.'),
            '413': error('Request body too large.'),
            '409': error('The order needs something sold out now (see `soldOut` in GET /menu): one error per field, with code `out_of_stock`.'),
            '415': error('Content-Type is not application/json.'),
            '422': error('The Idempotency-Key was already used for a different order.'),
            '503': unavailable('The order service is temporarily unavailable.'),
          },
        },
        get: {
          operationId: 'listOrders',
          summary: 'List orders, newest first, one page at a time',
          parameters: queryParameters(listOrdersQuerySchema),
          responses: { '200': { description: 'A page of orders.', content: json('OrderPage') }, '400': error('Invalid query.'), '503': readModelUnavailable },
        },
      },
      '/orders/{id}': {
        get: {
          operationId: 'getOrder',
          summary: 'An order and its status',
          parameters: [orderIdParameter],
          responses: {
            '200': { description: 'The order.', content: json('Order') },
            '400': error('An id with a character that cannot be stored.'),
            '404': error('No such order.'),
            '503': readModelUnavailable,
          },
        },
      },
      '/orders/stream': {
        get: {
          operationId: 'streamAllOrders',
          summary: 'Every order change of the shop, live (Server-Sent Events)',
          description:
            'Each `order` event carries the changed order as `data` (the Order schema). A `resync` event means changes may have been missed: reload the list. Fed by the read model, so it follows the projector.',
          responses: { '200': { description: 'An endless `text/event-stream`.', content: { 'text/event-stream': { schema: { type: 'string' } } } } },
        },
      },
      '/orders/{id}/stream': {
        get: {
          operationId: 'streamOrder',
          summary: 'One order, live (Server-Sent Events)',
          description:
            'Every applied event of the order, in sequence, as an `order` event whose `id` is the sequence and whose `data` is the order as it is after that event (the Order schema). Send `Last-Event-ID` to resume after a sequence; the browser\'s EventSource does so by itself on reconnect.',
          parameters: [orderIdParameter, { name: 'Last-Event-ID', in: 'header', required: false, schema: { type: 'integer', minimum: 0 } }],
          responses: {
            '200': { description: 'An endless `text/event-stream`.', content: { 'text/event-stream': { schema: { type: 'string' } } } },
            '400': error('An id with a character that cannot be stored.'),
            '404': error('No such order.'),
            '503': readModelUnavailable,
          },
        },
      },
      '/orders/{id}/cancel': {
        post: {
          operationId: 'cancelOrder',
          summary: 'Cancel an order before its tea is mixed; it is refunded',
          description:
            'Possible until mixing starts, also while the payment is being taken (an order view says so in `cancellable`). Answers once the cancellation and the refund are recorded; cancelling a cancelled order again answers it again.',
          parameters: [orderIdParameter],
          requestBody: { required: false, content: json('CancelOrder') },
          responses: {
            '200': { description: 'Cancelled and refunded: the order as it is now.', content: json('Order') },
            '400': error('Invalid body or invalid JSON.'),
            '404': error('No such order.'),
            '409': error(
              `Too late: "${CANCEL_REFUSED_AFTER_MIXING}", or the order is already over another way, also when that happens while the cancellation is under way: "Order <id> is already ready|failed|declined, it can no longer be cancelled".`,
            ),
            '413': error('Request body too large.'),
            '415': error('A body that is not application/json.'),
            '503': unavailable('The cancellation was not confirmed in time; retrying is safe.'),
          },
        },
      },
      '/admin/faults/{station}': {
        put: {
          operationId: 'setStationFaults',
          summary: 'Make a station fail, slow down or run out of ingredients (fault injection)',
          description:
            'Replaces the station’s faults as a whole: a field left out returns to its default, so `{}` clears them. ' +
            '`failureRate`: the share of attempts that fail with a transient error (retried by the order); ' +
            '`extraLatencyMs`: added to every attempt; `outOfStock`: ingredients the station has run out of, so an order needing one fails and is refunded.',
          security: [{ session: [] }, { sessionCookie: [] }, { [ADMIN_SECURITY_SCHEME]: [] }],
          parameters: [stationParameter],
          requestBody: { required: true, content: json('StationFaults') },
          responses: {
            '200': { description: 'Published: the station simulates these faults from its next attempt.', content: json('StationFaultsChanged') },
            '400': error('Invalid faults or invalid JSON.'),
            '401': error('No session and no ADMIN_TOKEN.'),
            '403': error('Not an operator.'),
            '404': error('No such station.'),
            '413': error('Request body too large.'),
            '415': error('Content-Type is not application/json.'),
            '503': unavailable('The change could not be published.'),
          },
        },
      },
      '/reports': {
        get: {
          operationId: 'listReports',
          summary: 'The shop’s reports (`GET /reports/<name>?since=`)',
          tags: ['reports'],
          responses: { '200': { description: 'Every report.', content: json('ReportList') } },
        },
      },
      ...reportPaths(),
      '/menu': {
        get: { operationId: 'getMenu', summary: 'What the shop sells', responses: { '200': { description: 'The menu.', content: json('Menu') } } },
      },
      '/health': {
        get: { operationId: 'health', summary: 'Liveness', responses: { '200': { description: 'The process answers.', content: json('Health') } } },
      },
      '/ready': {
        get: {
          operationId: 'ready',
          summary: 'Readiness: Temporal, Kafka and PostgreSQL answer',
          responses: {
            '200': { description: 'Ready.', content: json('Readiness') },
            '503': { ...unavailable('Not ready; `checks` says which server failed.'), content: json('Readiness') },
          },
        },
      },
    }),
    components: {
      schemas: componentSchemas(),
      securitySchemes: { ...SESSION_SCHEMES, [ADMIN_SECURITY_SCHEME]: { type: 'http', scheme: 'bearer', description: 'The ADMIN_TOKEN the API runs with: it acts as an operator, for scripts.' } },
    },
  };
}
