import { readFile } from 'node:fs/promises';
import { Connection, type TLSConfig } from '@temporalio/client';
import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import pg from 'pg';
import type { Logger } from 'pino';
import type { AppConfig } from './app-config';

/** Clients for the three servers, built from the validated configuration only. */

/** Options accepted by both the client's `Connection` and the worker's `NativeConnection`. */
export interface TemporalConnectionOptions {
  address: string;
  tls?: TLSConfig | boolean;
  apiKey?: string;
}

export async function temporalConnectionOptions(config: AppConfig): Promise<TemporalConnectionOptions> {
  const { address, tls, apiKey } = config.temporal;
  if (!tls) return { address };
  const clientCertPair =
    tls.certPath && tls.keyPath
      ? { crt: await readFile(tls.certPath), key: await readFile(tls.keyPath) }
      : undefined;
  return { address, tls: clientCertPair ? { clientCertPair } : true, apiKey };
}

export async function connectTemporal(config: AppConfig): Promise<Connection> {
  return Connection.connect(await temporalConnectionOptions(config));
}

export function kafkaClientConfig(config: AppConfig, overrides: Partial<KafkaConfig> = {}): KafkaConfig {
  const { brokers, clientId, ssl, sasl } = config.kafka;
  return { brokers, clientId, ssl, sasl, logLevel: logLevel.WARN, ...overrides } as KafkaConfig;
}

export function createKafka(config: AppConfig, overrides: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka(kafkaClientConfig(config, overrides));
}

/** How long opening a PostgreSQL connection may take before the request fails (and may be retried). */
export const PG_CONNECTION_TIMEOUT_MS = 5_000;

/**
 * A pool that outlives PostgreSQL restarts. node-pg emits 'error' on a connection the server closes (a restart,
 * a failover, an idle timeout), idle in the pool or checked out between queries; with nobody listening, that
 * event ends the process. Here it is logged, and the pool opens a new connection when one is next needed.
 */
export function createPgPool(connectionString: string, logger: Logger, options: pg.PoolConfig = {}): pg.Pool {
  const pool = new pg.Pool({ connectionString, connectionTimeoutMillis: PG_CONNECTION_TIMEOUT_MS, ...options });
  pool.on('error', (error) => logger.warn({ err: error }, 'PostgreSQL closed an idle connection; a new one is opened when needed'));
  // A checked-out connection has no pool listener: its query fails, and the caller hears of it from there.
  pool.on('connect', (client) => client.on('error', (error) => logger.debug({ err: error }, 'PostgreSQL connection lost while checked out')));
  return pool;
}
