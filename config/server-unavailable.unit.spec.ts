import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { isKafkaUnavailable, isPostgresUnavailable } from './server-unavailable';

const socketError = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code });
const databaseError = (code: string, message: string) => Object.assign(new pg.DatabaseError(message, 0, 'error'), { code });

describe('isPostgresUnavailable', () => {
  it.each([
    ['a refused connection', socketError('ECONNREFUSED')],
    ['a refused connection to every address of a name', new AggregateError([socketError('ECONNREFUSED'), socketError('ECONNREFUSED')])],
    ['a server shutting down', databaseError('57P01', 'terminating connection due to administrator command')],
    ['a server starting up', databaseError('57P03', 'the database system is starting up')],
    ['a connection exception', databaseError('08006', 'connection failure')],
    ['a connection the server dropped', new Error('Connection terminated unexpectedly')],
    ['a pool that could not connect in time', new Error('timeout exceeded when trying to connect')],
    ['a wrapped cause', new Error('read failed', { cause: socketError('ECONNRESET') })],
  ])('is true for %s', (_case, error) => {
    expect(isPostgresUnavailable(error)).toBe(true);
  });

  it.each([
    ['a syntax error', databaseError('42601', 'syntax error at or near "selec"')],
    ['a missing table', databaseError('42P01', 'relation "orders" does not exist')],
    ['a wrong password', databaseError('28P01', 'password authentication failed for user "postgres"')],
    ['U+0000 in text', databaseError('22P05', 'unsupported Unicode escape sequence')],
    ['a plain bug', new TypeError('cannot read properties of undefined')],
    ['something that is no error', 'ECONNREFUSED'],
  ])('is false for %s', (_case, error) => {
    expect(isPostgresUnavailable(error)).toBe(false);
  });
});

describe('isKafkaUnavailable', () => {
  it('is true for a broker out of reach, as kafkajs reports it after its own retries', async () => {
    const kafka = new Kafka({ brokers: ['127.0.0.1:1'], retry: { retries: 1, initialRetryTime: 10 }, logLevel: logLevel.NOTHING });
    const refused = await kafka.admin().connect().then(() => undefined, (error: unknown) => error);
    expect(refused).toBeInstanceOf(Error);
    expect(isKafkaUnavailable(refused)).toBe(true);
  });

  it('is false for a refused login or a plain bug', () => {
    // As kafkajs builds it (its typings leave out the constructor's message).
    const refusedLogin = Object.assign(new Error('SASL PLAIN authentication failed'), { name: 'KafkaJSSASLAuthenticationError', retriable: false });
    expect(isKafkaUnavailable(refusedLogin)).toBe(false);
    expect(isKafkaUnavailable(new TypeError('producer.sned is not a function'))).toBe(false);
  });
});
