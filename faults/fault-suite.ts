import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { logLevel } from 'kafkajs';
import pino from 'pino';
import { loadConfig } from '../config/app-config';
import { createKafka, createPgPool } from '../config/clients';
import { STATIONS } from '../contracts/names';
import { ROLE_NAMES } from '../roles/roles';
import { isPortFree, readPidRecord } from '../stack/processes';
import type { ServiceName } from '../stack/service';
import { SERVICE_NAMES, up } from '../stack/stack';
import { stackHome } from '../stack/stack-home';
import type { Fault } from './fault-plan';
import { checkFaultRun, type FaultRun } from './fault-suite-checks';
import type { FaultSuiteResult } from './fault-suite-result';
import type { FaultSuiteOptions } from './options';
import { OrderLoad } from './order-load';
import { ProgressLine } from './progress-line';
import { statusCountsOf } from './read-model-queries';
import { RoleSupervisor } from './role-supervisor';
import { deadServers, killServer, restartServer } from './server-faults';
import { drainShop, untilRecovered } from './wait-for-shop';

const SERVER_NAMES: ServiceName[] = [...SERVICE_NAMES];

/**
 * The fault suite: the shop's roles as separate processes on the local stack, a steady load of orders
 * through the HTTP API, then each fault in turn (SIGKILL, a pause, a restart, time to recover), a bounded
 * drain, and the invariants checked against the order events topic and the read model.
 */
export async function runFaultSuite(options: FaultSuiteOptions, print: (line: string) => void): Promise<FaultSuiteResult> {
  const startedAt = new Date();
  const customerId = `faults-${startedAt.toISOString().replace(/\D/g, '').slice(0, 14)}-${randomBytes(3).toString('hex')}`;
  const config = loadConfig();
  const home = stackHome();
  print(`bringing the local stack up (server logs in ${home.logsDir})`);
  await up(home);

  const apiPort = config.app.apiPort === 0 ? await freePort() : config.app.apiPort;
  if (!(await isPortFree(apiPort))) throw new Error(`API_PORT ${apiPort} is in use: stop what listens there or set API_PORT (0 picks a free port)`);
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const adminToken = randomBytes(16).toString('hex');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    API_HOST: '127.0.0.1',
    API_PORT: String(apiPort),
    ADMIN_TOKEN: adminToken,
    STATION_TIME_SCALE: String(options.stationTimeScale),
    // Generous SLAs: the suite measures the waits itself, and an SLA breach is not a fault here.
    SLA_GRACE_SECONDS: process.env.SLA_GRACE_SECONDS ?? '600',
  };
  rmSync(options.logsDir, { recursive: true, force: true });

  const load = new OrderLoad({ apiUrl, ratePerSecond: options.ratePerSecond, customerId, authorization: `Bearer ${adminToken}` });
  const run: FaultRun = { options, startedAt, customerId, serverLogsDir: home.logsDir, load, windows: [], injected: [], unexpectedExits: [], drain: { finished: false, seconds: 0 } };
  let during = 'start';
  let finished = 0;
  const progress = new ProgressLine(print, () => {
    const counts = load.counts();
    return `placed ${counts.placed}, accepted ${counts.accepted}, finished ${finished}, refused ${counts.refused}, unexpected exits ${run.unexpectedExits.length}`;
  });
  const supervisor = new RoleSupervisor({
    env,
    logsDir: options.logsDir,
    onUnexpectedExit: (exit) => {
      run.unexpectedExits.push({ process: exit.role, pid: exit.pid, code: exit.code, signal: exit.signal, at: new Date(exit.at).toISOString(), during, logFile: exit.logFile, lastLines: exit.lastLines });
      progress.note(`! ${exit.role} (pid ${exit.pid}) exited by itself (${exit.signal ?? `code ${exit.code}`}) during ${during}; starting it again. Log: ${exit.logFile}`);
    },
  });
  // The suite outlives PostgreSQL restarts too: the pool's lost connections are logged nowhere.
  const pool = createPgPool(config.database.url, pino({ level: 'silent' }));
  const kafka = createKafka(config, { logLevel: logLevel.NOTHING });
  const poller = setInterval(() => {
    statusCountsOf(pool, customerId).then(
      (counts) => (finished = (counts.ready ?? 0) + (counts.refunded ?? 0)),
      () => undefined,
    );
  }, 2000);
  const interrupted = () => {
    progress.note('interrupted: stopping the roles');
    void supervisor.stopAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  /** A server that died without being killed: noted, and brought back so the run goes on. */
  async function reviveDeadServers(except?: ServiceName): Promise<void> {
    for (const service of deadServers(home, SERVER_NAMES.filter((name) => name !== except))) {
      const logFile = home.logFile(service);
      run.unexpectedExits.push({ process: service, pid: readPidRecord(home.pidFile(service))?.pid, code: null, signal: null, at: new Date().toISOString(), during, logFile, lastLines: lastLinesOf(logFile) });
      progress.note(`! ${service} is not running though the suite did not kill it (during ${during}); starting it again`);
      await restartServer(home, service);
    }
  }

  async function inject(fault: Fault): Promise<FaultRun['injected'][number]> {
    const killedAt = Date.now();
    progress.set(`${fault.name}: kill -9`);
    let killedPid: number;
    try {
      killedPid = fault.kind === 'role' ? await supervisor.kill(fault.name) : await killServer(home, fault.name);
    } catch (error) {
      return { fault, restartProblems: [`could not kill: ${(error as Error).message}`] };
    }
    await sleep(options.downSeconds * 1000);
    progress.set(`${fault.name}: restarting`);
    if (fault.kind === 'role') {
      try {
        await supervisor.start(fault.name);
        return { fault, killedPid, backAfterMs: Date.now() - killedAt, restartProblems: [] };
      } catch (error) {
        return { fault, killedPid, restartProblems: [(error as Error).message] };
      }
    }
    const restart = await restartServer(home, fault.name);
    return { fault, killedPid, backAfterMs: restart.restarted ? Date.now() - killedAt : undefined, restartProblems: restart.failedAttempts };
  }

  try {
    progress.start();
    progress.set('starting the roles');
    // The projector migrates the read model, which creates the role the api reads with: the api waits for it.
    await Promise.all([
      supervisor.start('projector').then(() => supervisor.start('api')),
      ...ROLE_NAMES.filter((role) => role !== 'projector' && role !== 'api').map((role) => supervisor.start(role)),
    ]);
    await clearStationFaults(apiUrl, adminToken);

    load.start();
    during = 'warm-up';
    run.windows.push({ fault: 'warm-up', startsAt: Date.now(), endsAt: Infinity });
    progress.set('warm-up (no fault)');
    await sleep(options.warmupSeconds * 1000);
    // The baseline needs orders of the warm-up's second half that have finished: on a slow machine that takes longer.
    await untilRecovered(load, pool, run.windows[0]!.startsAt + (options.warmupSeconds * 1000) / 2, Date.now() + options.recoverSeconds * 1000);

    for (const fault of options.faults) {
      const startsAt = Date.now();
      run.windows.at(-1)!.endsAt = startsAt;
      const window = { fault: fault.name, startsAt, endsAt: Infinity, backAt: undefined as number | undefined };
      run.windows.push(window);
      during = fault.name;
      const outcome = await inject(fault);
      run.injected.push(outcome);
      if (outcome.backAfterMs !== undefined) window.backAt = startsAt + outcome.backAfterMs;
      progress.set(`${fault.name}: ${outcome.backAfterMs === undefined ? 'did not come back' : `back after ${(outcome.backAfterMs / 1000).toFixed(1)}s`}, recovering`);
      await sleep(Math.max(0, startsAt + options.faultSeconds * 1000 - Date.now()));
      const recovered = await untilRecovered(load, pool, window.backAt, startsAt + (options.faultSeconds + options.recoverSeconds) * 1000);
      if (!recovered) progress.note(`${fault.name}: no order placed after the restart was ready within ${options.faultSeconds + options.recoverSeconds}s of the kill; going on`);
      if (fault.kind === 'server' && outcome.backAfterMs === undefined) outcome.restartProblems.push(...(await restartServer(home, fault.name)).failedAttempts);
      await reviveDeadServers(fault.kind === 'server' ? fault.name : undefined);
    }

    progress.set('stopping the load');
    await load.stop();
    during = 'drain';
    progress.set('draining');
    run.drain = await drainShop(load, pool, kafka, options.drainSeconds, customerId);
    await reviveDeadServers();
    run.windows.at(-1)!.endsAt = Date.now();
  } finally {
    clearInterval(poller);
    progress.set('stopping the roles');
    progress.stop();
    await supervisor.stopAll();
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
  }

  print('checking the invariants against the order events topic and the read model');
  try {
    return await checkFaultRun(run, pool, kafka);
  } finally {
    await pool.end();
  }
}

async function clearStationFaults(apiUrl: string, adminToken: string): Promise<void> {
  for (const station of STATIONS) {
    const response = await fetch(`${apiUrl}/admin/faults/${station}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: '{}',
    });
    if (response.status !== 200) throw new Error(`could not clear the ${station} station's injected faults: HTTP ${response.status}`);
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function lastLinesOf(file: string, count = 12): string[] {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-count).map((line) => line.slice(0, 500));
  } catch {
    return [];
  }
}
