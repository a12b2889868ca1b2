import { Body, Controller, Get, Param, Post, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { OperatorGuard } from './auth/session.guard';
import { ApiDoc } from './openapi-docs';
import { ZodValidationPipe } from './zod-validation-pipe';
import { MAX_DRINKS_PER_ORDER, MENU } from '../contracts/menu';
import { randomUUID } from 'node:crypto';
import { orderEventOf, orderPlacedData } from '../contracts/events';
import { evolve } from '../contracts/order-decider';
import { placeOrderSchema } from '../contracts/order-input';
import { withStatusDisplay } from '../contracts/order-status-text';
import { ORDER_STATUS_NAMES } from '../contracts/order-state';
import { REPORT_NAMES } from '../contracts/reports';
import { buildOpenApiDocument } from './openapi';

const document = buildOpenApiDocument();

function refsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => (key === '$ref' && typeof inner === 'string' ? [inner] : refsIn(inner)));
}

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 with every operation the API serves', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths).sort()).toEqual([
      '/admin/faults/{station}',
      '/health',
      '/menu',
      '/orders',
      '/orders/stream',
      '/orders/{id}',
      '/orders/{id}/cancel',
      '/orders/{id}/stream',
      '/ready',
      '/reports',
      ...REPORT_NAMES.map((name) => `/reports/${name}`),
      '/sessions',
      '/sessions/current',
      '/sessions/operator',
    ].sort());
    expect(Object.keys((document.paths['/orders/{id}/stream']!.get as { responses: object }).responses)).toEqual(['200', '400', '401', '403', '404', '503']);
    expect(Object.keys(document.paths['/orders']!).sort()).toEqual(['get', 'post']);
    expect(Object.keys(document.paths['/orders/{id}/cancel']!)).toEqual(['post']);
    expect(Object.keys(document.paths['/admin/faults/{station}']!)).toEqual(['put']);
  });

  it('says of every 503 that it carries Retry-After, and of every read that PostgreSQL may make it one', () => {
    const operations = Object.values(document.paths).flatMap((path) => Object.values(path) as Array<{ responses: Record<string, { headers?: object }> }>);
    const unavailable = operations.flatMap((operation) => (operation.responses['503'] ? [operation.responses['503']] : []));
    expect(unavailable.length).toBeGreaterThanOrEqual(7);
    for (const response of unavailable) expect(response.headers).toHaveProperty('Retry-After');
    for (const [path, method] of [['/orders', 'get'], ['/orders/{id}', 'get'], ['/orders/{id}/stream', 'get']] as const) {
      expect((document.paths[path]![method] as { responses: object }).responses).toHaveProperty('503');
    }
  });

  it('shows a real order as the example Swagger UI fills in, and it is a valid order', () => {
    const example = (document.components.schemas.PlaceOrder as { example?: unknown }).example;
    expect(example).toMatchObject({ customerId: 'Alice Smith' });
    expect(placeOrderSchema.safeParse(example).success).toBe(true);
  });

  it('documents every field and status of an order', () => {
    const state = document.components.schemas.OrderState as { properties: Record<string, { enum?: string[] }>; required: string[] };
    // An order as the API answers it: folded from a real OrderPlaced, with its status in words.
    const placed = orderEventOf(randomUUID(), 1, 'OrderPlaced', orderPlacedData({ customerId: 'Alice Smith', drinks: [{ tea: 'Black', sugar: 0, pearl: 'None' }] }), new Date().toISOString());
    const fields = Object.keys(withStatusDisplay(evolve(undefined, placed)));
    expect(fields).toContain('statusText');
    expect([...state.required].sort()).toEqual([...fields].sort());
    // Documented beyond those: only what a customer may leave out of an order.
    const optional = Object.keys(state.properties).filter((field) => !fields.includes(field));
    expect(optional.every((field) => placeOrderSchema.shape[field as keyof typeof placeOrderSchema.shape]?.safeParse(undefined).success)).toBe(true);
    expect(state.properties.status!.enum).toEqual(ORDER_STATUS_NAMES);
    expect(document.components.schemas.OrderDelay).toMatchObject({ required: ['stage', 'slaSeconds', 'at'] });
  });

  it('documents cancelling with its optional body, its 409 and the order it answers', () => {
    const cancel = document.paths['/orders/{id}/cancel']!.post as { requestBody: { required: boolean }; responses: Record<string, unknown> };
    expect(cancel.requestBody).toEqual({ required: false, content: { 'application/json': { schema: { $ref: '#/components/schemas/CancelOrder' } } } });
    expect(Object.keys(cancel.responses)).toEqual(['200', '400', '401', '403', '404', '409', '413', '415', '503']);
    expect(cancel.responses['200']).toMatchObject({ content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } } });
    expect(document.components.schemas.CancelOrder).toMatchObject({
      properties: { reason: { type: 'string', minLength: 1, maxLength: 200 } },
      additionalProperties: false,
    });
    expect(document.components.schemas.CancelOrder).not.toHaveProperty('required');
  });

  it('documents fault injection with the station faults schema, behind the admin bearer token', () => {
    const setFaults = document.paths['/admin/faults/{station}']!.put as {
      security: unknown;
      parameters: Array<{ name: string; schema: unknown }>;
      responses: Record<string, unknown>;
    };
    expect(setFaults.security).toEqual([{ session: [] }, { sessionCookie: [] }, { adminToken: [] }]);
    expect(document.components.securitySchemes.adminToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(setFaults.parameters).toMatchObject([{ name: 'station', in: 'path', required: true, schema: { enum: ['label', 'mix', 'top'] } }]);
    expect(Object.keys(setFaults.responses)).toEqual(['200', '400', '401', '403', '404', '413', '415', '503']);
    const faults = document.components.schemas.StationFaults as { properties: Record<string, { default?: unknown }>; additionalProperties: boolean };
    expect(Object.keys(faults.properties)).toEqual(['failureRate', 'extraLatencyMs', 'outOfStock']);
    expect(faults.properties.outOfStock).toMatchObject({ default: [] });
    expect(faults.additionalProperties).toBe(false);
  });

  it('describes the order body with the very schema the API validates with', () => {
    const { $schema: _schema, $ref: _ref, $defs, ...rest } = z.toJSONSchema(placeOrderSchema, { io: 'input' }) as Record<string, unknown> & {
      $defs: Record<string, unknown>;
    };
    expect(rest).toEqual({});
    expect(document.components.schemas.PlaceOrder).toEqual(JSON.parse(JSON.stringify($defs.PlaceOrder).replaceAll('#/$defs/', '#/components/schemas/')));
    expect(document.components.schemas.Drink).toEqual($defs.Drink);

    const placeOrder = document.components.schemas.PlaceOrder as { properties: { drinks: { maxItems: number } }; additionalProperties: boolean };
    expect(placeOrder.properties.drinks.maxItems).toBe(MAX_DRINKS_PER_ORDER);
    expect(placeOrder.additionalProperties).toBe(false);
    const drink = document.components.schemas.Drink as { properties: { tea: { enum: string[] }; sugar: { enum: number[] } } };
    expect(drink.properties.tea.enum).toEqual(MENU.teas);
    expect(drink.properties.sugar.enum).toEqual(MENU.sugarLevels);
  });

  it('documents the list filters from the query schema', () => {
    const parameters = (document.paths['/orders']!.get as { parameters: Array<{ name: string; required: boolean; schema: Record<string, unknown> }> }).parameters;
    expect(parameters.map((parameter) => parameter.name)).toEqual(['customer', 'status', 'slaBreached', 'limit', 'after']);
    expect(parameters.every((parameter) => !parameter.required)).toBe(true);
    expect(parameters.find((parameter) => parameter.name === 'status')!.schema.enum).toEqual(ORDER_STATUS_NAMES);
    expect(parameters.find((parameter) => parameter.name === 'slaBreached')!.schema).toEqual({ type: 'string', enum: ['true', 'false'] });
    expect(parameters.find((parameter) => parameter.name === 'limit')!.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 100, default: 20 });
  });

  it('documents each report with its since parameter and its own rows', () => {
    const report = document.paths['/reports/stage-durations']!.get as { parameters: Array<{ name: string; required: boolean; schema: Record<string, unknown> }>; responses: Record<string, unknown> };
    expect(report.parameters).toMatchObject([{ name: 'since', in: 'query', required: false, schema: { type: 'string', default: '24h' } }]);
    expect(Object.keys(report.responses)).toEqual(['200', '400', '401', '403', '503']);
    expect((report as unknown as { security: unknown }).security).toEqual([{ session: [] }, { sessionCookie: [] }]);
    expect(report.responses['200']).toMatchObject({ content: { 'application/json': { schema: { $ref: '#/components/schemas/StageDurationsReport' } } } });
    const schema = document.components.schemas.StageDurationsReport as { properties: { rows: { items: { properties: Record<string, unknown>; required: string[] } } } };
    expect(schema.properties.rows.items.required).toEqual(['stage', 'orders', 'p50', 'p95', 'p99', 'max']);
    expect(schema.properties.rows.items.properties.stage).toMatchObject({ enum: ['label', 'mix', 'top', 'placed-to-ready'] });
  });

  it('documents the money reports in minor units, and declined payments among the failures', () => {
    const rowsOf = (component: string) => (document.components.schemas[component] as { properties: { rows: { items: { properties: Record<string, unknown>; required: string[] } } } }).properties.rows.items;
    expect(rowsOf('RevenueDailyReport').required).toEqual(['day', 'currency', 'payments', 'charged_cents', 'refunds', 'refunded_cents', 'net_cents']);
    expect(rowsOf('RevenueReport').required).toEqual(['currency', 'payments', 'charged_cents', 'refunds', 'refunded_cents', 'net_cents']);
    expect(rowsOf('FailuresReport').properties.outcome).toMatchObject({ enum: ['failed', 'cancelled', 'declined'] });
  });

  it('has no dangling references and no JSON Schema document keywords inside components', () => {
    const components = Object.keys(document.components.schemas);
    for (const ref of refsIn(document)) expect(components).toContain(ref.replace('#/components/schemas/', ''));
    for (const schema of Object.values(document.components.schemas)) {
      expect(schema).not.toHaveProperty('$schema');
      expect(schema).not.toHaveProperty('$id');
    }
  });

  it('takes each path, method, parameter, body and security from the route and its pipes, not from a second list', () => {
    const idSchema = z.string().meta({ description: 'Which thing.' });
    const bodySchema = z.strictObject({ name: z.string() });
    @Controller('things')
    @UseGuards(OperatorGuard)
    class ThingsController {
      @Post(':id/rename')
      @ApiDoc({ operationId: 'renameThing', summary: 'Rename a thing', responses: { '200': { description: 'Renamed.' } } })
      rename(@Param('id', new ZodValidationPipe(idSchema, 'Invalid path')) id: string, @Body(new ZodValidationPipe(bodySchema, 'Invalid thing')) body: unknown) {
        return { id, body };
      }

      @Get()
      undocumented() {}
    }
    const { paths } = buildOpenApiDocument([ThingsController]);
    expect(paths).toEqual({
      '/things/{id}/rename': {
        post: {
          operationId: 'renameThing',
          summary: 'Rename a thing',
          parameters: [{ name: 'id', in: 'path', required: true, description: 'Which thing.', schema: { type: 'string' } }],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'], additionalProperties: false } } },
          },
          security: [{ session: [] }, { sessionCookie: [] }],
          responses: {
            '200': { description: 'Renamed.' },
            '401': { description: 'No session: sign in first (POST /sessions).', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
          },
        },
      },
    });
  });
});
