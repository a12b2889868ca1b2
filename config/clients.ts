import { readFile } from 'node:fs/promises';
import { Connection, type TLSConfig } from '@temporalio/client';
import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import pg from 'pg';
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

export function createPgPool(config: AppConfig, options: pg.PoolConfig = {}): pg.Pool {
  return new pg.Pool({ connectionString: config.database.url, ...options });
}
