import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { redactQuery, redactUrl } from '../observability/redact-url';
import type { ApiDeps } from './api-deps';
import { ApiExceptionFilter, BODY_LIMIT } from './api-exception-filter';
import { httpMetricsMiddleware } from './api-metrics';
import { apiModule } from './api-module';
import { buildOpenApiDocument } from './openapi';
import { PinoNestLogger } from './pino-nest-logger';
import { orderIdOfRequest } from './request-log-fields';

export type { ApiDeps, ReadinessChecks } from './api-deps';
export type { OrderReader, OrderListQuery, OrderPage } from '../projections/order-reader';
export type { StationFaultsPublisher } from './station-faults-publisher';

const REQUEST_ID = /^[\w.:-]{1,100}$/;

/**
 * Helmet's headers on every answer (JSON, /docs, errors). Its default CSP, except that the API is served over
 * plain HTTP on 127.0.0.1 behind whatever terminates TLS, so requests are not upgraded here; Swagger UI needs
 * its inline styles and data: images, which the defaults allow. The pages send a stricter CSP of their own.
 */
const API_CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  upgradeInsecureRequests: null,
};

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
  app.use(helmet({ contentSecurityPolicy: { directives: API_CONTENT_SECURITY_POLICY } }));
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
      // A token in a query string is as secret as one in a header (headers are redacted by the logger's options).
      serializers: {
        req: (request: { url?: string; query?: unknown }) => ({ ...request, url: request.url && redactUrl(request.url), query: redactQuery(request.query) }),
      },
      autoLogging: { ignore: (request) => request.url === '/health' || request.url === '/metrics' },
    }),
  );
  app.use(cookieParser());
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
