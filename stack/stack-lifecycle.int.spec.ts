import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_STACK_DEFAULTS } from '../config/app-config';
import { runGreeting } from './testing/run-greeting';
import { readPidRecord } from './processes';
import { down, status, up } from './stack';
import { REPO_ROOT, stackHome } from './stack-home';

/** A second, private stack on other ports, so stopping and killing its servers disturbs no other test. */
const home = stackHome({
  home: path.join(REPO_ROOT, '.stack', 'test-lifecycle'),
  ports: { TEMPORAL_PORT: 17233, TEMPORAL_UI_PORT: 18233, KAFKA_PORT: 19092, KAFKA_CONTROLLER_PORT: 19093, POSTGRES_PORT: 15432 },
});
const temporalAddress = `127.0.0.1:${home.ports.TEMPORAL_PORT}`;
const kafka = new Kafka({ brokers: [`127.0.0.1:${home.ports.KAFKA_PORT}`], logLevel: logLevel.NOTHING });
const database = () =>
  new pg.Client({
    host: '127.0.0.1',
    port: home.ports.POSTGRES_PORT,
    user: LOCAL_STACK_DEFAULTS.POSTGRES_USER,
    password: LOCAL_STACK_DEFAULTS.POSTGRES_PASSWORD,
    database: LOCAL_STACK_DEFAULTS.POSTGRES_DB,
  });
const pidOf = (service: 'temporal' | 'kafka' | 'postgres') => readPidRecord(home.pidFile(service))?.pid;

/** `kill -9` of the service and an immediate `up` of it, from another process (stack/testing/kill-then-up.ts). */
async function killThenUp(service: 'temporal' | 'kafka' | 'postgres'): Promise<{ ok: boolean; output: string }> {
  const env = {
    ...process.env,
    STACK_DIR: home.home,
    STACK_TOOLS_DIR: home.toolsDir,
    ...Object.fromEntries(Object.entries(home.ports).map(([name, port]) => [name, String(port)])),
  };
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'stack/testing/kill-then-up.ts', service], { cwd: REPO_ROOT, env });
    return { ok: true, output: stdout.trim() };
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${failure.stdout ?? ''}${failure.stderr ?? ''}`.trim() };
  }
}

describe('local stack lifecycle', () => {
  beforeAll(async () => {
    await down(home);
    rmSync(path.join(home.home, 'data'), { recursive: true, force: true });
    expect(await up(home)).toEqual({ temporal: 'started', kafka: 'started', postgres: 'started' });
  });

  afterAll(async () => {
    await down(home);
    rmSync(home.home, { recursive: true, force: true });
  });

  it('keeps a topic, a table row and a completed workflow across down and up', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'kept-topic', numPartitions: 6 }], waitForLeaders: true });
    await admin.disconnect();

    const before = database();
    await before.connect();
    await before.query('create table kept_rows (tea text primary key)');
    await before.query("insert into kept_rows values ('brown sugar')");
    await before.end();

    const { workflowId, result } = await runGreeting(temporalAddress, 'jasmine');

    await down(home);
    expect((await status(home)).map((service) => service.pid)).toEqual([undefined, undefined, undefined]);
    expect(await up(home)).toEqual({ temporal: 'started', kafka: 'started', postgres: 'started' });

    const adminAfter = kafka.admin();
    await adminAfter.connect();
    const metadata = await adminAfter.fetchTopicMetadata({ topics: ['kept-topic'] });
    await adminAfter.disconnect();
    expect(metadata.topics[0]?.partitions).toHaveLength(6);

    const after = database();
    await after.connect();
    const { rows } = await after.query('select tea from kept_rows');
    await after.end();
    expect(rows).toEqual([{ tea: 'brown sugar' }]);

    const connection = await Connection.connect({ address: temporalAddress });
    const handle = new Client({ connection }).workflow.getHandle(workflowId);
    const description = await handle.describe();
    const kept = await handle.result();
    await connection.close();
    expect(description.status.name).toBe('COMPLETED');
    expect(kept).toBe(result);
  });

  it('restarts only the service whose process was killed', async () => {
    const temporalPid = pidOf('temporal');
    const postgresPid = pidOf('postgres');
    const kafkaPid = pidOf('kafka')!;

    process.kill(kafkaPid, 'SIGKILL');
    await expect.poll(async () => (await status(home)).find((service) => service.name === 'kafka')?.pid).toBeUndefined();

    expect(await up(home)).toEqual({ temporal: 'already running', kafka: 'restarted', postgres: 'already running' });
    expect(pidOf('temporal')).toBe(temporalPid);
    expect(pidOf('postgres')).toBe(postgresPid);
    expect(pidOf('kafka')).not.toBe(kafkaPid);
    expect((await status(home)).every((service) => service.healthy)).toBe(true);
  });

  it('starts each server again at once right after a kill -9, every time', { timeout: 600_000 }, async () => {
    for (let round = 1; round <= 3; round += 1) {
      for (const service of ['postgres', 'kafka', 'temporal'] as const) {
        const killed = pidOf(service);
        const outcome = await killThenUp(service);
        expect({ round, service, ...outcome }).toEqual({ round, service, ok: true, output: JSON.stringify({ [service]: 'restarted' }) });
        expect(pidOf(service)).not.toBe(killed);
      }
    }
    expect((await status(home)).every((service) => service.healthy)).toBe(true);
    const after = database();
    await after.connect();
    const { rows } = await after.query('select tea from kept_rows');
    await after.end();
    expect(rows).toEqual([{ tea: 'brown sugar' }]);
  });
});
