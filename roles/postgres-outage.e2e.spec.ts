import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { loadConfig } from '../config/app-config';
import { down, up } from '../stack/stack';
import { stackHome } from '../stack/stack-home';
import { freePort, spawnRoles, type RoleProcess } from './testing/role-process';
import { operatorFetch } from '../api/testing/sessions';

// Requests come from the test operator, who may reach every order (api/auth.unit.spec.ts tests whom the API lets in).
const fetch = operatorFetch;

/**
 * PostgreSQL down when the shop starts, then restarted under a small load, with the roles in processes of their
 * own as `npm run role` runs them: no process exits, the API takes every order meanwhile (placing one needs
 * only Temporal), and every order it accepted reaches ready in the read model once PostgreSQL is back.
 */

const home = stackHome();
const postgres = { services: ['postgres'] as const };
let api: string;
let databaseUrl: string;
let processes: RoleProcess[] = [];

const ORDER = { customerId: 'postgres-outage', drinks: [{ tea: 'Oolong', sugar: 25, pearl: 'None' }] };
const MAX_ORDERS = 40;

/** Places an order every `intervalMs` until stopped, keeping the id of each one accepted and what went wrong with any other. */
function placeOrdersEvery(intervalMs: number) {
  const accepted: string[] = [];
  const refused: string[] = [];
  let placing = true;
  const loop = (async () => {
    while (placing && accepted.length + refused.length < MAX_ORDERS) {
      try {
        const response = await fetch(`${api}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ORDER) });
        if (response.status === 202) accepted.push(((await response.json()) as { orderId: string }).orderId);
        else refused.push(`${response.status} ${await response.text()}`);
      } catch (error) {
        refused.push(String(error));
      }
      await sleep(intervalMs);
    }
  })();
  return {
    accepted,
    async stop() {
      placing = false;
      await loop;
      return { accepted, refused };
    },
  };
}

/** Each order's status in the read model, read on a connection of its own (the server may just have restarted). */
async function statusesOf(orderIds: readonly string[]): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const { rows } = await client.query<{ status: string }>('select status from orders where order_id = any($1::uuid[])', [orderIds]);
    return [...rows.map((row) => row.status), ...Array<string>(orderIds.length - rows.length).fill('missing')];
  } catch {
    return orderIds.map(() => 'unreadable');
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function everyOrderReady(orderIds: readonly string[], timeout: number): Promise<void> {
  await expect.poll(async () => (await statusesOf(orderIds)).filter((status) => status !== 'ready'), { timeout, interval: 1000 }).toEqual([]);
}

function expectEveryProcessRunning(): void {
  for (const role of processes) {
    expect({ roles: role.roles, exit: role.exit() }).toEqual({ roles: role.roles, exit: undefined });
    expect(role.output()).not.toMatch(/Role failed|Role stopped by itself|Unhandled 'error' event/);
  }
}

/** Fails at once, with its output, if a process exits while the others start. */
async function untilApiAnswers(timeoutMs: number): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(500)) {
    const exited = processes.find((role) => role.exit());
    if (exited) throw new Error(`${exited.roles.join('+')} exited while starting:\n${exited.output()}`);
    if ((await fetch(`${api}/health`).catch(() => undefined))?.status === 200) return;
  }
  throw new Error(`the API did not answer within ${timeoutMs / 1000} s`);
}

beforeAll(async () => {
  const port = await freePort();
  const env = { ...process.env, API_PORT: String(port), STATION_TIME_SCALE: '0', SLA_GRACE_SECONDS: '120', LOG_LEVEL: 'warn' };
  api = `http://127.0.0.1:${port}`;
  databaseUrl = loadConfig(env).database.url;

  await down(home, postgres);
  processes = [spawnRoles(['api'], env), spawnRoles(['projector'], env), spawnRoles(['orchestrator', 'station:label', 'station:mix', 'station:top', 'reconciler'], env)];
  await untilApiAnswers(120_000);
});

afterAll(async () => {
  await Promise.all(processes.map((role) => role.stop()));
  await up(home, postgres);
});

describe('a PostgreSQL outage', () => {
  it('loses no order and stops no role, from a start without PostgreSQL through a restart under load', { timeout: 600_000 }, async () => {
    onTestFailed(() => {
      for (const role of processes) console.log(`--- ${role.roles.join('+')} (exit ${JSON.stringify(role.exit())}):\n${role.output()}`);
    });
    const load = placeOrdersEvery(500);
    await expect.poll(() => load.accepted.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(3);

    await up(home, postgres);
    // The projector waited for PostgreSQL, migrated, and folds what was published meanwhile.
    await everyOrderReady([...load.accepted], 240_000);

    await down(home, postgres);
    await sleep(3000);
    await up(home, postgres);
    await sleep(2000);
    const { accepted, refused } = await load.stop();

    expect(refused).toEqual([]);
    await everyOrderReady(accepted, 240_000);
    expectEveryProcessRunning();
    expect((await fetch(`${api}/ready`)).status).toBe(200);
  });
});
