import { z } from 'zod';
import type { FakePaymentRules } from '../activities/fake-payment-provider';
import { STATIONS, type Station } from '../contracts/names';
import { NO_FAULTS, stationFaultsSchema, type StationFaults } from '../contracts/station-faults';

/*
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
  /** Development-only passwords of the shop's database roles on the local stack; set your own anywhere shared. */
  DATABASE_OWNER_PASSWORD: 'bubble_tea_owner',
  DATABASE_PROJECTOR_PASSWORD: 'bubble_tea_projector',
  DATABASE_READER_PASSWORD: 'bubble_tea_reader',
  DATABASE_ANALYST_PASSWORD: 'bubble_tea_analyst',
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
  /** Signs sessions; at least 32 characters. Unset: a random one per process (sessions end with it, and replicas do not share them). */
  SESSION_SECRET: z.string().min(32, 'expected at least 32 characters').optional(),
  /** `name:scrypt$…` entries, comma-separated (`npm run hash-password -- <name>` prints one). */
  OPERATORS: z
    .string()
    .optional()
    .refine(
      (value) => value === undefined || value.trim() === '' || value.split(',').every((entry) => /^\s*[\w.@-]{1,64}:scrypt\$\d+\$\d+\$\d+\$[\w-]+\$[\w-]+\s*$/.test(entry)),
      'expected name:scrypt$N$r$p$salt$hash entries, comma-separated (npm run hash-password -- <name>)',
    ),
  API_HOST: z.string().min(1).default('127.0.0.1'),
  /** 0 picks a free port (tests). */
  API_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Where a process without the api role serves /metrics (0: any free port, printed at start); with the api role, also there when set. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  DATABASE_URL: z
    .string()
    .optional()
    .refine((value) => value === undefined || /^postgres(ql)?:\/\/.+/.test(value), 'expected postgres://user:password@host:port/database'),
  DATABASE_PROJECTOR_URL: z
    .string()
    .optional()
    .refine((value) => value === undefined || /^postgres(ql)?:\/\/.+/.test(value), 'expected postgres://user:password@host:port/database'),
  DATABASE_READER_URL: z
    .string()
    .optional()
    .refine((value) => value === undefined || /^postgres(ql)?:\/\/.+/.test(value), 'expected postgres://user:password@host:port/database'),
  /** Passwords of the four roles where their URLs are derived (the local stack sets them from these too). */
  DATABASE_OWNER_PASSWORD: z.string().min(1).default(LOCAL_STACK_DEFAULTS.DATABASE_OWNER_PASSWORD),
  DATABASE_PROJECTOR_PASSWORD: z.string().min(1).default(LOCAL_STACK_DEFAULTS.DATABASE_PROJECTOR_PASSWORD),
  DATABASE_READER_PASSWORD: z.string().min(1).default(LOCAL_STACK_DEFAULTS.DATABASE_READER_PASSWORD),
  DATABASE_ANALYST_PASSWORD: z.string().min(1).default(LOCAL_STACK_DEFAULTS.DATABASE_ANALYST_PASSWORD),
  DATABASE_ANALYST_URL: z
    .string()
    .optional()
    .refine((value) => value === undefined || /^postgres(ql)?:\/\/.+/.test(value), 'expected postgres://user:password@host:port/database'),
  REPORTS_REFRESH_SECONDS: z.coerce.number().min(1).max(86_400).default(300),
});

/** The shop's database roles (created by projections/database-roles.sql, granted by the migrations). */
export const DATABASE_ROLES = { owner: 'bubble_tea_owner', projector: 'bubble_tea_projector', reader: 'bubble_tea_reader', analyst: 'bubble_tea_analyst' } as const;

/** The same server and database as another role. */
function urlAs(databaseUrl: string, user: string, password: string): string {
  const url = new URL(databaseUrl);
  url.username = user;
  url.password = encodeURIComponent(password);
  return url.toString();
}

/** A database URL fit to print or log: its password replaced. */
export function withoutPassword(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  if (url.password) url.password = 'redacted';
  return url.toString();
}

/** STATION_<NAME>_FAILURE_RATE, _EXTRA_LATENCY_MS and _OUT_OF_STOCK (comma-separated), validated like the admin API's body. */
function stationFaultsFrom(env: Readonly<Record<string, unknown>>, ctx: z.RefinementCtx): Record<Station, StationFaults> {
  const names: Record<keyof StationFaults, string> = { failureRate: 'FAILURE_RATE', extraLatencyMs: 'EXTRA_LATENCY_MS', outOfStock: 'OUT_OF_STOCK' };
  const entries = STATIONS.map((station) => {
    const variable = (field: keyof StationFaults) => `STATION_${station.toUpperCase()}_${names[field]}`;
    const text = (field: keyof StationFaults) => (typeof env[variable(field)] === 'string' && env[variable(field)] !== '' ? (env[variable(field)] as string) : undefined);
    const number = (field: keyof StationFaults) => (text(field) === undefined ? undefined : Number(text(field)));
    const parsed = stationFaultsSchema.safeParse({
      failureRate: number('failureRate'),
      extraLatencyMs: number('extraLatencyMs'),
      outOfStock: text('outOfStock')?.split(',').map((item) => item.trim()).filter(Boolean),
    });
    if (parsed.success) return [station, parsed.data] as const;
    for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: [variable(issue.path[0] as keyof StationFaults)] });
    return [station, NO_FAULTS] as const;
  });
  return Object.fromEntries(entries) as Record<Station, StationFaults>;
}

function operatorsOf(text: string | undefined): Array<{ name: string; passwordHash: string }> {
  if (text === undefined || text.trim() === '') return [];
  return text.split(',').map((entry) => {
    const colon = entry.indexOf(':');
    return { name: entry.slice(0, colon).trim(), passwordHash: entry.slice(colon + 1).trim() };
  });
}

/**
 * The whole configuration: the environment's variables validated, then shaped into what the roles use. Loose, so
 * the STATION_<NAME>_* variables reach the transform; every other unknown variable is ignored.
 */
const configSchema = z.looseObject({ ...stackPortsSchema.shape, ...stackTemporalSchema.shape, ...appSchema.shape }).transform((vars, ctx) => {
  if ((vars.TEMPORAL_TLS_CERT_PATH === undefined) !== (vars.TEMPORAL_TLS_KEY_PATH === undefined)) {
    ctx.addIssue({ code: 'custom', message: 'TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH must be set together (mTLS)' });
  }
  if (vars.KAFKA_SASL_MECHANISM && (!vars.KAFKA_SASL_USERNAME || !vars.KAFKA_SASL_PASSWORD)) {
    ctx.addIssue({ code: 'custom', message: 'KAFKA_SASL_MECHANISM needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD' });
  }
  const stationFaults = stationFaultsFrom(vars, ctx);
  const ports: StackPorts = { TEMPORAL_PORT: vars.TEMPORAL_PORT, TEMPORAL_UI_PORT: vars.TEMPORAL_UI_PORT, KAFKA_PORT: vars.KAFKA_PORT, KAFKA_CONTROLLER_PORT: vars.KAFKA_CONTROLLER_PORT, POSTGRES_PORT: vars.POSTGRES_PORT };
  const usesLocalTemporal = vars.TEMPORAL_ADDRESS === undefined;
  const mtls = vars.TEMPORAL_TLS_CERT_PATH !== undefined;
  const ownerUrl =
    vars.DATABASE_URL ?? urlAs(`postgres://127.0.0.1:${ports.POSTGRES_PORT}/${LOCAL_STACK_DEFAULTS.POSTGRES_DB}`, DATABASE_ROLES.owner, vars.DATABASE_OWNER_PASSWORD);
  const sasl = vars.KAFKA_SASL_MECHANISM && vars.KAFKA_SASL_USERNAME && vars.KAFKA_SASL_PASSWORD
    ? { mechanism: vars.KAFKA_SASL_MECHANISM, username: vars.KAFKA_SASL_USERNAME, password: vars.KAFKA_SASL_PASSWORD }
    : undefined;
  const tls: { certPath?: string; keyPath?: string } | undefined =
    vars.TEMPORAL_TLS || mtls || vars.TEMPORAL_API_KEY ? { certPath: vars.TEMPORAL_TLS_CERT_PATH, keyPath: vars.TEMPORAL_TLS_KEY_PATH } : undefined;

  return {
    stack: ports,
    temporal: {
      address: vars.TEMPORAL_ADDRESS ?? `127.0.0.1:${ports.TEMPORAL_PORT}`,
      namespace: vars.TEMPORAL_NAMESPACE,
      /** The local stack's Web UI; undefined for any other Temporal. */
      uiUrl: usesLocalTemporal ? `http://127.0.0.1:${ports.TEMPORAL_UI_PORT}` : undefined,
      tls,
      apiKey: vars.TEMPORAL_API_KEY,
    },
    kafka: {
      brokers: (vars.KAFKA_BROKERS ?? `127.0.0.1:${ports.KAFKA_PORT}`).split(',').map((broker) => broker.trim()),
      clientId: vars.KAFKA_CLIENT_ID,
      ssl: vars.KAFKA_SSL,
      sasl,
    },
    /**
     * Four roles by least privilege (see projections/database-roles.sql): `url` owns the schema (migrations,
     * rebuild, the projections CLI); `projectorUrl` may only add and update the read model's rows and refresh the
     * reports' rollups (projector); `readerUrl` may only read it, with a statement timeout (api, reconciler);
     * `analystUrl` reads the reporting views only (report CLI, psql).
     */
    database: {
      url: ownerUrl,
      projectorUrl: vars.DATABASE_PROJECTOR_URL ?? urlAs(ownerUrl, DATABASE_ROLES.projector, vars.DATABASE_PROJECTOR_PASSWORD),
      readerUrl: vars.DATABASE_READER_URL ?? urlAs(ownerUrl, DATABASE_ROLES.reader, vars.DATABASE_READER_PASSWORD),
      analystUrl: vars.DATABASE_ANALYST_URL ?? urlAs(ownerUrl, DATABASE_ROLES.analyst, vars.DATABASE_ANALYST_PASSWORD),
    },
    app: {
      /** Multiplies every station's duration: 1 for the realistic demo, 0 for instant tests and benchmarks. */
      stationTimeScale: vars.STATION_TIME_SCALE,
      apiHost: vars.API_HOST,
      apiPort: vars.API_PORT,
      /** A bearer token that acts as an operator, for scripts; unset, only signed-in operators are. */
      adminToken: vars.ADMIN_TOKEN,
      /** Signs the sessions of customers and operators; undefined: a random one per process. */
      sessionSecret: vars.SESSION_SECRET,
      /** Operators who may sign in, with their password hashes. */
      operators: operatorsOf(vars.OPERATORS),
      /** How often the reconciler looks for order workflows that closed without finishing their order. */
      reconcileIntervalSeconds: vars.RECONCILE_INTERVAL_SECONDS,
      /** How often the projector role refreshes the reports' hourly rollups (projections/reports/rollups.ts). */
      reportsRefreshSeconds: vars.REPORTS_REFRESH_SECONDS,
      /** Port of this process's own /metrics listener; undefined: on the API's port when it runs here, else any free port. */
      metricsPort: vars.METRICS_PORT,
    },
    /** Faults injected into each station at start (the admin API changes them at run time). */
    stationFaults,
    /** The rules of the fake payment provider the orchestrator charges through (activities/fake-payment-provider.ts). */
    payments: {
      declineCustomers: vars.PAYMENT_DECLINE_CUSTOMERS.split(',').map((customer) => customer.trim()).filter(Boolean),
      declineAboveCents: vars.PAYMENT_DECLINE_ABOVE_CENTS ?? null,
      latencyMs: vars.PAYMENT_LATENCY_MS,
    } satisfies FakePaymentRules,
    /** Time limits given to every new order (see workflows/order-definitions.ts OrderPolicy). */
    orderPolicy: {
      stationTimeScale: vars.STATION_TIME_SCALE,
      slaFactor: vars.SLA_FACTOR,
      slaGraceSeconds: vars.SLA_GRACE_SECONDS,
      deadlineSeconds: vars.ORDER_DEADLINE_SECONDS,
    },
  };
});

export type AppConfig = z.output<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** One line per problem: the variable, what is wrong and what it was; a problem of several variables says so itself. */
function problemsOf(error: z.ZodError, env: NodeJS.ProcessEnv): string[] {
  return error.issues.map((issue) => {
    if (issue.path.length === 0) return issue.message;
    const name = String(issue.path[0]);
    return `${name}: ${issue.message} (got ${JSON.stringify(env[name])})`;
  });
}

function parsed<Schema extends z.ZodType>(schema: Schema, env: NodeJS.ProcessEnv): z.output<Schema> {
  const result = schema.safeParse(env);
  if (!result.success) throw new ConfigError(problemsOf(result.error, env));
  return result.data;
}

export function loadStackPorts(env: NodeJS.ProcessEnv = process.env): StackPorts {
  return parsed(stackPortsSchema, env);
}

export function loadStackTemporal(env: NodeJS.ProcessEnv = process.env): StackTemporal {
  return parsed(stackTemporalSchema, env).STACK_TEMPORAL;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  return parsed(configSchema, env);
}
