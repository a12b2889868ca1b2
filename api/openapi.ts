import { RequestMethod, type Type } from '@nestjs/common';
import { GUARDS_METADATA, METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { z } from 'zod';
import { REPORT_COMPONENTS } from './report-schemas';
import { CustomerGuard, OperatorGuard } from './auth/session.guard';
import { API_CONTROLLERS } from './api-module';
import { API_DOC, COMPONENTS, error, SECURITY_SCHEMES, SESSION_SECURITY, type JsonSchema, type OperationDoc } from './openapi-docs';
import type { DocumentedPipe } from './zod-validation-pipe';

/*
 * The OpenAPI 3.1 document, generated from the routes the controllers declare: each path and method from Nest's
 * route metadata, each parameter and body from the zod schema of the pipe that validates it, security from the
 * route's guards, and the rest from the operation's @ApiDoc. So the document cannot drift from what the API
 * serves and accepts. OpenAPI 3.1 schemas are JSON Schema 2020-12.
 */

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, Record<string, unknown>> };
}

function componentSchemas(): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries({ ...COMPONENTS, ...REPORT_COMPONENTS })) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { io: 'input', uri: (id) => `#/components/schemas/${id}` });
  return Object.fromEntries(Object.entries(schemas).map(([id, { $schema: _schema, $id: _id, ...schema }]) => [id, schema as JsonSchema]));
}

function inlineSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _schema, ...rest } = z.toJSONSchema(schema, { io: 'input' }) as JsonSchema;
  return rest;
}

/** A parameter: its description beside its schema, required unless its schema takes an absent value. */
function parameter(name: string, where: 'query' | 'path' | 'header', schema: z.ZodType): JsonSchema {
  const { description, ...parameterSchema } = inlineSchema(schema);
  const required = where === 'path' || !schema.safeParse(undefined).success;
  return { name, in: where, required, ...(description === undefined ? {} : { description }), schema: parameterSchema };
}

/** A body's schema: a reference when it is a named component, inline otherwise. */
function bodySchema(schema: z.ZodType): JsonSchema {
  const id = Object.entries(COMPONENTS).find(([, component]) => component === schema)?.[0];
  return id === undefined ? inlineSchema(schema) : { $ref: `#/components/schemas/${id}` };
}

interface RouteArgument {
  index: number;
  data?: unknown;
  pipes?: unknown[];
}

const isDocumentedPipe = (pipe: unknown): pipe is DocumentedPipe => typeof pipe === 'object' && pipe !== null && (pipe as { schema?: unknown }).schema instanceof z.ZodType;

/** The parameters and body of a handler, from the pipes that validate its arguments. */
function requestOf(controller: Type, handler: string): { parameters: JsonSchema[]; requestBody?: JsonSchema } {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handler) ?? {}) as Record<string, RouteArgument>;
  const parameters: JsonSchema[] = [];
  let requestBody: JsonSchema | undefined;
  for (const [key, argument] of Object.entries(args).sort(([, a], [, b]) => a.index - b.index)) {
    const pipe = argument.pipes?.find(isDocumentedPipe);
    if (!pipe) continue;
    const header = pipe.options?.header;
    const type = Number(key.split(':')[0]);
    if (header !== undefined) parameters.push(parameter(header, 'header', pipe.schema));
    else if (type === RouteParamtypes.PARAM) parameters.push(parameter(String(argument.data), 'path', pipe.schema));
    else if (type === RouteParamtypes.QUERY) {
      for (const [name, field] of Object.entries((pipe.schema as z.ZodObject).shape)) parameters.push(parameter(name, 'query', field as z.ZodType));
    } else if (type === RouteParamtypes.BODY) {
      requestBody = { required: !('absentAs' in (pipe.options ?? {})), content: { 'application/json': { schema: bodySchema(pipe.schema) } } };
    }
  }
  return { parameters, ...(requestBody === undefined ? {} : { requestBody }) };
}

const guardsOf = (target: object): unknown[] => (Reflect.getMetadata(GUARDS_METADATA, target) as unknown[] | undefined) ?? [];
const SESSION_GUARDS: unknown[] = [CustomerGuard, OperatorGuard];
const segments = (path: unknown) => String(path ?? '').split('/').filter(Boolean);
const byStatus = (responses: Record<string, JsonSchema>) => Object.fromEntries(Object.entries(responses).sort(([a], [b]) => Number(a) - Number(b)));

/** Every operation of one controller that carries an @ApiDoc, by path and method. */
function operationsOf(controller: Type): Array<{ path: string; method: string; operation: JsonSchema }> {
  const shared = (Reflect.getMetadata(API_DOC, controller) as OperationDoc | undefined) ?? {};
  const prototype = controller.prototype as Record<string, unknown>;
  return Object.getOwnPropertyNames(prototype).flatMap((name) => {
    const handler = prototype[name] as object;
    const doc = Reflect.getMetadata(API_DOC, handler) as OperationDoc | undefined;
    if (name === 'constructor' || doc === undefined || typeof handler !== 'function') return [];
    const path = '/' + [...segments(Reflect.getMetadata(PATH_METADATA, controller)), ...segments(Reflect.getMetadata(PATH_METADATA, handler))].map((segment) => segment.replace(/^:(.+)$/, '{$1}')).join('/');
    const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod].toLowerCase();
    const behindSession = [...guardsOf(controller), ...guardsOf(handler)].some((guard) => SESSION_GUARDS.includes(guard));
    const { parameters, requestBody } = requestOf(controller, name);
    const operation = (own: OperationDoc, params: JsonSchema[]) => {
      const { each: _each, responses: _responses, parameters: extra = [], security, ...rest } = { ...shared, ...own };
      const sessionAnswers: Record<string, JsonSchema> = behindSession ? { '401': error('No session: sign in first (POST /sessions).') } : {};
      const responses = { ...sessionAnswers, ...shared.responses, ...own.responses };
      return {
        ...rest,
        ...(params.length + extra.length > 0 ? { parameters: [...params, ...extra] } : {}),
        ...(requestBody === undefined ? {} : { requestBody }),
        ...(security ?? behindSession ? { security: security ?? SESSION_SECURITY } : {}),
        responses: byStatus(responses),
      };
    };
    if (doc.each) {
      const { param, values, doc: docOf } = doc.each;
      const others = parameters.filter((candidate) => !(candidate.in === 'path' && candidate.name === param));
      return values.map((value) => {
        const own = docOf(value);
        return { path: path.replace(`{${param}}`, value), method, operation: operation({ ...doc, ...own, responses: { ...doc.responses, ...own.responses } }, others) };
      });
    }
    return [{ path, method, operation: operation(doc, parameters) }];
  });
}

export function buildOpenApiDocument(controllers: readonly Type[] = API_CONTROLLERS): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const { path, method, operation } of controllers.flatMap(operationsOf)) paths[path] = { ...paths[path], [method]: operation };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Bubble tea shop',
      version: '1.0.0',
      description: 'Place bubble tea orders and watch them move through the label, mix and top stations.',
    },
    paths,
    components: { schemas: componentSchemas(), securitySchemes: SECURITY_SCHEMES },
  };
}
