import { z } from 'zod';
import type { FakePaymentRules } from '../activities/fake-payment-provider';
import { stationFaultsSchema, type StationFaults } from '../contracts/station-faults';

/**
 * Every address and credential the system uses, read from the environment once and validated.
 * Defaults point at the local stack (`npm run stack -- up`), whose ports are themselves overridable,
 * so the same variables also describe Temporal Cloud, a managed Kafka or a managed PostgreSQL.
 */

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);
const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .default('false')
  .transform((value) => value === 'true' || value === '1' || value === 'yes');
const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value));
const hostPort = z.string().regex(/^[^\s:,/]+:\d{1,5}$/, 'expected host:port');

export const LOCAL_STACK_DEFAULTS = {
  TEMPORAL_PORT: 7233,
  TEMPORAL_UI_PORT: 8233,
  KAFKA_PORT: 9092,
  KAFKA_CONTROLLER_PORT: 9093,
  POSTGRES_PORT: 5432,
  POSTGRES_USER: 'postgres',
  POSTGRES_PASSWORD: 'postgres',
  POSTGRES_DB: 'bubble_tea',
} as const;

const stackPortsSchema = z.object({
  TEMPORAL_PORT: port(LOCAL_STACK_DEFAULTS.TEMPORAL_PORT),
  TEMPORAL_UI_PORT: port(LOCAL_STACK_DEFAULTS.TEMPORAL_UI_PORT),
  KAFKA_PORT: port(LOCAL_STACK_DEFAULTS.KAFKA_PORT),
  KAFKA_CONTROLLER_PORT: port(LOCAL_STACK_DEFAULTS.KAFKA_CONTROLLER_PORT),
  POSTGRES_PORT: port(LOCAL_STACK_DEFAULTS.POSTGRES_PORT),
});

export type StackPorts = z.infer<typeof stackPortsSchema>;

/** Which Temporal the local stack runs: the CLI's dev server (SQLite), or a real server on the stack's PostgreSQL. */
export const STACK_TEMPORAL_FLAVOURS = ['dev', 'postgres'] as const;
export type StackTemporal = (typeof STACK_TEMPORAL_FLAVOURS)[number];
const stackTemporalSchema = z.object({ STACK_TEMPORAL: z.enum(STACK_TEMPORAL_FLAVOURS).default('dev') });

const appSchema = z.object({
  TEMPORAL_ADDRESS: hostPort.optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TLS: flag,
  TEMPORAL_TLS_CERT_PATH: optionalText,
  TEMPORAL_TLS_KEY_PATH: optionalText,
  TEMPORAL_API_KEY: optionalText,
  KAFKA_BROKERS: z
    .string()
    .optional()
    .refine(
      (value) => value === undefined || value.split(',').every((broker) => hostPort.safeParse(broker.trim()).success),
      'expected a comma-separated list of host:port',
    ),
  KAFKA_CLIENT_ID: z.string().min(1).default('bubble-tea-shop'),
  KAFKA_SSL: flag,
  KAFKA_SASL_MECHANISM: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(),
  KAFKA_SASL_USERNAME: optionalText,
  KAFKA_SASL_PASSWORD: optionalText,
  STATION_TIME_SCALE: z.coerce.number().min(0).max(100).default(1),
  SLA_FACTOR: z.coerce.number().min(1).max(100).default(1.5),
  SLA_GRACE_SECONDS: z.coerce.number().min(0).max(3600).default(2),
  ORDER_DEADLINE_SECONDS: z.coerce.number().min(1).max(86_400).default(900),
  RECONCILE_INTERVAL_SECONDS: z.coerce.number().min(0.1).max(3600).default(10),
  ADMIN_TOKEN: optionalText,
  /** The in-process fake payment provider's rules: customers it declines (comma-separated), a limit, its latency. */
  PAYMENT_DECLINE_CUSTOMERS: z.string().default(''),
  PAYMENT_DECLINE_ABOVE_CENTS: z.coerce.number().int().min(0).optional(),
  PAYMENT_LATENCY_MS: z.coerce.number().int().min(0).max(60_000).default(0),
  API_HOST: z.string().min(1).default('127.0.0.1'),
  /** 0 picks a free port (tests). */
  API_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Where a process without the api role serves /metrics (0: any free port, printed at start); with the api role, also there when set. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  DATABASE_URL: z
    .string()
    .optional()
    .refine((value) => value === undefined || /^postgres(ql)?:\/\/.+/.test(value), 'expected postgres://user:password@host:port/database'),
  DATABASE_READER_URL: z
    .string()
    .optional()
    .refine((value) => value === undefined || /^postgres(ql)?:\/\/.+/.test(value), 'expected postgres://user:password@host:port/database'),
  DATABASE_ANALYST_URL: z
    .string()
    .optional()
    .refine((value) => value === undefined || /^postgres(ql)?:\/\/.+/.test(value), 'expected postgres://user:password@host:port/database'),
  DATABASE_ANALYST_PASSWORD: optionalText,
  REPORTS_REFRESH_SECONDS: z.coerce.number().min(1).max(86_400).default(300),
});

export interface AppConfig {
  stack: StackPorts;
  temporal: {
    address: string;
    namespace: string;
    uiUrl: string | undefined;
    tls: { certPath?: string; keyPath?: string } | undefined;
    apiKey: string | undefined;
  };
  kafka: {
    brokers: string[];
    clientId: string;
    ssl: boolean;
    sasl: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string } | undefined;
  };
  /**
   * `url` writes the read model (projector, migrations); `readerUrl` is a role that can only read it (api);
   * `analystUrl` is the analyst role, which reads the reporting views only (report CLI, psql), and
   * `analystPassword` the password the projector gives that role (undefined: leave it as it is).
   */
  database: { url: string; readerUrl: string; analystUrl: string; analystPassword: string | undefined };
  app: {
    /** Multiplies every station's duration: 1 for the realistic demo, 0 for instant tests and benchmarks. */
    stationTimeScale: number;
    apiHost: string;
    apiPort: number;
    /** Bearer token of the admin endpoints (fault injection); unset, they are disabled. */
    adminToken: string | undefined;
    /** How often the reconciler looks for order workflows that closed without finishing their order. */
    reconcileIntervalSeconds: number;
    /** How often the projector role refreshes the reports' hourly rollups (projections/reports/rollups.ts). */
    reportsRefreshSeconds: number;
    /** Port of this process's own /metrics listener; undefined: on the API's port when it runs here, else any free port. */
    metricsPort: number | undefined;
  };
  /** Faults injected into each station at start (the admin API changes them at run time). */
  stationFaults: Record<'label' | 'mix' | 'top', StationFaults>;
  /** The rules of the fake payment provider the orchestrator charges through (activities/fake-payment-provider.ts). */
  payments: FakePaymentRules;
  /** Time limits given to every new order (see workflows/order-definitions.ts OrderPolicy). */
  orderPolicy: { stationTimeScale: number; slaFactor: number; slaGraceSeconds: number; deadlineSeconds: number };
}

/** The read-only role the migrations create, on the same server and database as the writer. */
export const READER_ROLE = { user: 'bubble_tea_reader', password: 'bubble_tea_reader' } as const;

/** The analyst role the migrations create; its password is configuration (DATABASE_ANALYST_PASSWORD), this is the local stack's. */
export const ANALYST_ROLE = { user: 'bubble_tea_analyst', localPassword: 'bubble_tea_analyst' } as const;

function asUser(writerUrl: string, user: string, password: string): string {
  const url = new URL(writerUrl);
  url.username = user;
  url.password = password;
  return url.toString();
}

/** With its own URL the analyst role is managed outside: its password is set only when given explicitly. */
function analystOf(writerUrl: string, vars: { DATABASE_ANALYST_URL?: string; DATABASE_ANALYST_PASSWORD?: string }) {
  if (vars.DATABASE_ANALYST_URL !== undefined) return { analystUrl: vars.DATABASE_ANALYST_URL, analystPassword: vars.DATABASE_ANALYST_PASSWORD };
  const analystPassword = vars.DATABASE_ANALYST_PASSWORD ?? ANALYST_ROLE.localPassword;
  return { analystUrl: asUser(writerUrl, ANALYST_ROLE.user, analystPassword), analystPassword };
}

const STATIONS = ['label', 'mix', 'top'] as const;

/** STATION_<NAME>_FAILURE_RATE, _EXTRA_LATENCY_MS and _OUT_OF_STOCK (comma-separated), validated like the admin API's body. */
function stationFaultsFrom(env: NodeJS.ProcessEnv, problems: string[]): Record<(typeof STATIONS)[number], StationFaults> {
  return Object.fromEntries(
    STATIONS.map((station) => {
      const prefix = `STATION_${station.toUpperCase()}_`;
      const number = (name: string) => (env[prefix + name] === undefined || env[prefix + name] === '' ? undefined : Number(env[prefix + name]));
      const parsed = stationFaultsSchema.safeParse({
        failureRate: number('FAILURE_RATE'),
        extraLatencyMs: number('EXTRA_LATENCY_MS'),
        outOfStock: env[`${prefix}OUT_OF_STOCK`]?.split(',').map((item) => item.trim()).filter(Boolean),
      });
      if (parsed.success) return [station, parsed.data];
      const names = { failureRate: 'FAILURE_RATE', extraLatencyMs: 'EXTRA_LATENCY_MS', outOfStock: 'OUT_OF_STOCK' } as Record<string, string>;
      for (const issue of parsed.error.issues) problems.push(`${prefix}${names[String(issue.path[0])]}: ${issue.message}`);
      return [station, { failureRate: 0, extraLatencyMs: 0, outOfStock: [] }];
    }),
  ) as Record<(typeof STATIONS)[number], StationFaults>;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function problemsOf(error: z.ZodError, env: NodeJS.ProcessEnv): string[] {
  return error.issues.map((issue) => {
    const name = String(issue.path[0]);
    return `${name}: ${issue.message} (got ${JSON.stringify(env[name])})`;
  });
}

export function loadStackPorts(env: NodeJS.ProcessEnv = process.env): StackPorts {
  const parsed = stackPortsSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(problemsOf(parsed.error, env));
  return parsed.data;
}

export function loadStackTemporal(env: NodeJS.ProcessEnv = process.env): StackTemporal {
  const parsed = stackTemporalSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(problemsOf(parsed.error, env));
  return parsed.data.STACK_TEMPORAL;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const stack = stackPortsSchema.safeParse(env);
  const stackTemporal = stackTemporalSchema.safeParse(env);
  const app = appSchema.safeParse(env);
  const problems = [
    ...(stack.success ? [] : problemsOf(stack.error, env)),
    ...(stackTemporal.success ? [] : problemsOf(stackTemporal.error, env)),
    ...(app.success ? [] : problemsOf(app.error, env)),
  ];
  if (!stack.success || !stackTemporal.success || !app.success) throw new ConfigError(problems);
  const ports = stack.data;
  const vars = app.data;

  if ((vars.TEMPORAL_TLS_CERT_PATH === undefined) !== (vars.TEMPORAL_TLS_KEY_PATH === undefined)) {
    problems.push('TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH must be set together (mTLS)');
  }
  if (vars.KAFKA_SASL_MECHANISM && (!vars.KAFKA_SASL_USERNAME || !vars.KAFKA_SASL_PASSWORD)) {
    problems.push('KAFKA_SASL_MECHANISM needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD');
  }
  const stationFaults = stationFaultsFrom(env, problems);
  if (problems.length > 0) throw new ConfigError(problems);

  const usesLocalTemporal = vars.TEMPORAL_ADDRESS === undefined;
  const mtls = vars.TEMPORAL_TLS_CERT_PATH !== undefined;
  const localDatabaseUrl =
    `postgres://${LOCAL_STACK_DEFAULTS.POSTGRES_USER}:${LOCAL_STACK_DEFAULTS.POSTGRES_PASSWORD}` +
    `@127.0.0.1:${ports.POSTGRES_PORT}/${LOCAL_STACK_DEFAULTS.POSTGRES_DB}`;
  const writerUrl = vars.DATABASE_URL ?? localDatabaseUrl;

  return {
    stack: ports,
    temporal: {
      address: vars.TEMPORAL_ADDRESS ?? `127.0.0.1:${ports.TEMPORAL_PORT}`,
      namespace: vars.TEMPORAL_NAMESPACE,
      uiUrl: usesLocalTemporal ? `http://127.0.0.1:${ports.TEMPORAL_UI_PORT}` : undefined,
      tls:
        vars.TEMPORAL_TLS || mtls || vars.TEMPORAL_API_KEY
          ? { certPath: vars.TEMPORAL_TLS_CERT_PATH, keyPath: vars.TEMPORAL_TLS_KEY_PATH }
          : undefined,
      apiKey: vars.TEMPORAL_API_KEY,
    },
    kafka: {
      brokers: (vars.KAFKA_BROKERS ?? `127.0.0.1:${ports.KAFKA_PORT}`).split(',').map((broker) => broker.trim()),
      clientId: vars.KAFKA_CLIENT_ID,
      ssl: vars.KAFKA_SSL,
      sasl: vars.KAFKA_SASL_MECHANISM
        ? { mechanism: vars.KAFKA_SASL_MECHANISM, username: vars.KAFKA_SASL_USERNAME!, password: vars.KAFKA_SASL_PASSWORD! }
        : undefined,
    },
    database: {
      url: writerUrl,
      readerUrl: vars.DATABASE_READER_URL ?? asUser(writerUrl, READER_ROLE.user, READER_ROLE.password),
      ...analystOf(writerUrl, vars),
    },
    app: {
      stationTimeScale: vars.STATION_TIME_SCALE,
      apiHost: vars.API_HOST,
      apiPort: vars.API_PORT,
      adminToken: vars.ADMIN_TOKEN,
      reconcileIntervalSeconds: vars.RECONCILE_INTERVAL_SECONDS,
      reportsRefreshSeconds: vars.REPORTS_REFRESH_SECONDS,
      metricsPort: vars.METRICS_PORT,
    },
    stationFaults,
    payments: {
      declineCustomers: vars.PAYMENT_DECLINE_CUSTOMERS.split(',').map((customer) => customer.trim()).filter(Boolean),
      declineAboveCents: vars.PAYMENT_DECLINE_ABOVE_CENTS ?? null,
      latencyMs: vars.PAYMENT_LATENCY_MS,
    },
    orderPolicy: {
      stationTimeScale: vars.STATION_TIME_SCALE,
      slaFactor: vars.SLA_FACTOR,
      slaGraceSeconds: vars.SLA_GRACE_SECONDS,
      deadlineSeconds: vars.ORDER_DEADLINE_SECONDS,
    },
  };
}
