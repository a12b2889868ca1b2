import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, loadStackTemporal, withoutPassword } from './app-config';

describe('loadConfig', () => {
  it('points at the local stack by default', () => {
    const config = loadConfig({});
    expect(config.temporal).toMatchObject({ address: '127.0.0.1:7233', namespace: 'default', uiUrl: 'http://127.0.0.1:8233', tls: undefined });
    expect(config.kafka).toMatchObject({ brokers: ['127.0.0.1:9092'], ssl: false, sasl: undefined });
    expect(config.database).toEqual({
      url: 'postgres://bubble_tea_owner:bubble_tea_owner@127.0.0.1:5432/bubble_tea',
      projectorUrl: 'postgres://bubble_tea_projector:bubble_tea_projector@127.0.0.1:5432/bubble_tea',
      readerUrl: 'postgres://bubble_tea_reader:bubble_tea_reader@127.0.0.1:5432/bubble_tea',
      analystUrl: 'postgres://bubble_tea_analyst:bubble_tea_analyst@127.0.0.1:5432/bubble_tea',
    });
  });

  it('follows the local stack when its ports move', () => {
    const config = loadConfig({ TEMPORAL_PORT: '17233', TEMPORAL_UI_PORT: '18233', KAFKA_PORT: '19092', POSTGRES_PORT: '15432' });
    expect(config.temporal.address).toBe('127.0.0.1:17233');
    expect(config.temporal.uiUrl).toBe('http://127.0.0.1:18233');
    expect(config.kafka.brokers).toEqual(['127.0.0.1:19092']);
    expect(config.database.url).toBe('postgres://bubble_tea_owner:bubble_tea_owner@127.0.0.1:15432/bubble_tea');
  });

  it('describes external services: Temporal Cloud, a managed Kafka with SASL, a managed PostgreSQL', () => {
    const config = loadConfig({
      TEMPORAL_ADDRESS: 'shop.a1b2c.tmprl.cloud:7233',
      TEMPORAL_NAMESPACE: 'shop.a1b2c',
      TEMPORAL_API_KEY: 'secret-key',
      KAFKA_BROKERS: 'b1.example.com:9096, b2.example.com:9096',
      KAFKA_SSL: 'true',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'shop',
      KAFKA_SASL_PASSWORD: 'pw',
      DATABASE_URL: 'postgres://shop:pw@db.example.com:5432/shop?sslmode=require',
    });
    expect(config.temporal).toMatchObject({ address: 'shop.a1b2c.tmprl.cloud:7233', namespace: 'shop.a1b2c', apiKey: 'secret-key', uiUrl: undefined });
    expect(config.temporal.tls).toEqual({ certPath: undefined, keyPath: undefined });
    expect(config.kafka).toEqual({
      brokers: ['b1.example.com:9096', 'b2.example.com:9096'],
      clientId: 'bubble-tea-shop',
      ssl: true,
      sasl: { mechanism: 'scram-sha-512', username: 'shop', password: 'pw' },
    });
    expect(config.database.url).toContain('sslmode=require');
  });

  it('takes every database password from configuration and prints URLs without them', () => {
    const config = loadConfig({ DATABASE_OWNER_PASSWORD: 'o/1', DATABASE_PROJECTOR_PASSWORD: 'p@2', DATABASE_READER_PASSWORD: 'r 3' });
    expect(new URL(config.database.url).password).toBe(encodeURIComponent('o/1'));
    expect(decodeURIComponent(new URL(config.database.projectorUrl).password)).toBe('p@2');
    expect(decodeURIComponent(new URL(config.database.readerUrl).password)).toBe('r 3');
    expect(withoutPassword(config.database.readerUrl)).toBe('postgres://bubble_tea_reader:redacted@127.0.0.1:5432/bubble_tea');
  });

  it('reads the reporting views as the analyst role, whose password is configuration', () => {
    expect(loadConfig({}).database.analystUrl).toBe('postgres://bubble_tea_analyst:bubble_tea_analyst@127.0.0.1:5432/bubble_tea');
    expect(loadConfig({ DATABASE_ANALYST_PASSWORD: 's3cret' }).database.analystUrl).toBe('postgres://bubble_tea_analyst:s3cret@127.0.0.1:5432/bubble_tea');
    expect(loadConfig({ DATABASE_ANALYST_URL: 'postgres://analyst:pw@db.example.com/shop' }).database.analystUrl).toBe('postgres://analyst:pw@db.example.com/shop');
    expect(loadConfig({}).app.reportsRefreshSeconds).toBe(300);
  });

  it.each([
    [{ TEMPORAL_PORT: 'seven' }, 'TEMPORAL_PORT'],
    [{ DATABASE_ANALYST_URL: 'analyst@db' }, 'DATABASE_ANALYST_URL'],
    [{ REPORTS_REFRESH_SECONDS: '0' }, 'REPORTS_REFRESH_SECONDS'],
    [{ KAFKA_PORT: '70000' }, 'KAFKA_PORT'],
    [{ TEMPORAL_ADDRESS: 'localhost' }, 'TEMPORAL_ADDRESS: expected host:port'],
    [{ KAFKA_BROKERS: '127.0.0.1:9092,nope' }, 'KAFKA_BROKERS: expected a comma-separated list of host:port'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ KAFKA_SSL: 'maybe' }, 'KAFKA_SSL'],
    [{ STACK_TEMPORAL: 'docker' }, 'STACK_TEMPORAL'],
    [{ KAFKA_SASL_MECHANISM: 'plain' }, 'KAFKA_SASL_MECHANISM needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD'],
    [{ TEMPORAL_TLS_CERT_PATH: '/tmp/client.pem' }, 'TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH must be set together'],
  ])('rejects %o with a message naming the variable', (env, expected) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(expected);
  });

  it('runs the local Temporal dev server unless STACK_TEMPORAL picks the server on PostgreSQL', () => {
    expect(loadStackTemporal({})).toBe('dev');
    expect(loadStackTemporal({ STACK_TEMPORAL: 'postgres' })).toBe('postgres');
    expect(() => loadStackTemporal({ STACK_TEMPORAL: 'sqlite' })).toThrow('STACK_TEMPORAL');
  });

  it('reports every problem at once', () => {
    try {
      loadConfig({ TEMPORAL_PORT: 'x', KAFKA_BROKERS: 'y' });
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).problems).toHaveLength(2);
    }
  });
});
