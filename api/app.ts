import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { pinoHttp } from 'pino-http';
import type { ApiDeps } from './api-deps';
import { ApiExceptionFilter, BODY_LIMIT } from './api-exception-filter';
import { httpMetricsMiddleware } from './api-metrics';
import { apiModule } from './api-module';
import { buildOpenApiDocument } from './openapi';
import { PinoNestLogger } from './pino-nest-logger';
import { orderIdOfRequest } from './request-log-fields';

export type { ApiDeps, ReadinessChecks } from './api-deps';
export type { OrderReader, OrderListQuery, OrderPage } from './order-reader';
export type { StationFaultsPublisher } from './station-faults-publisher';

const REQUEST_ID = /^[\w.:-]{1,100}$/;

/**
 * The HTTP API, configured and initialised but not listening: the caller picks the address with
 * `app.listen(port, host)` and ends it with `app.close()`.
 */
export async function createApiApp(deps: ApiDeps): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(apiModule(deps), new ExpressAdapter(), {
    logger: new PinoNestLogger(deps.logger.child({ component: 'nest' })),
    bodyParser: false,
    abortOnError: false,
  });
  app.disable('x-powered-by');
  app.use(httpMetricsMiddleware());
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (request, response) => {
        const given = request.headers['x-request-id'];
        const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
        response.setHeader('X-Request-Id', id);
        return id;
      },
      customProps: (request, response) => {
        const orderId = orderIdOfRequest(request, response);
        return orderId === undefined ? {} : { orderId };
      },
      customLogLevel: (_request, response, error) => (error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info'),
      autoLogging: { ignore: (request) => request.url === '/health' || request.url === '/metrics' },
    }),
  );
  // Registered after the request logger, so a body that is too large or not JSON is logged like any request.
  app.useBodyParser('json', { limit: BODY_LIMIT });
  app.useGlobalFilters(new ApiExceptionFilter(deps.logger, app.getHttpAdapter()));
  SwaggerModule.setup('docs', app, buildOpenApiDocument() as unknown as OpenAPIObject, {
    jsonDocumentUrl: 'openapi.json',
    raw: ['json'],
  });
  await app.init();
  return app;
}
