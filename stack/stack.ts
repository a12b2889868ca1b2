import { closeSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { StackPorts } from '../config/app-config';
import { kafkaService } from './kafka';
import { postgresService } from './postgres';
import { isGone, isPortFree, isRunning, readPidRecord, removePidFile, startDetached, stopProcess, waitUntil, type PidRecord } from './processes';
import { StackError, type ServiceDefinition, type ServiceName } from './service';
import type { StackHome } from './stack-home';
import { temporalService } from './temporal';
import { temporalPostgresService } from './temporal-postgres';

export const SERVICE_NAMES: readonly ServiceName[] = ['temporal', 'kafka', 'postgres'];

/** The stack's services, with Temporal in the flavour STACK_TEMPORAL picks. */
export function servicesOf(home: StackHome): readonly ServiceDefinition[] {
  return [home.temporal === 'postgres' ? temporalPostgresService : temporalService, kafkaService, postgresService];
}

export type UpOutcome = 'already running' | 'started' | 'restarted';

export interface ServiceStatus {
  name: ServiceName;
  pid: number | undefined;
  address: string;
  healthy: boolean;
  logFile: string;
}

type Progress = (service: ServiceName | 'stack', line: string) => void;
const silent: Progress = () => undefined;

const PORT_VARIABLES: Record<ServiceName, Array<keyof StackPorts>> = {
  temporal: ['TEMPORAL_PORT', 'TEMPORAL_UI_PORT'],
  kafka: ['KAFKA_PORT', 'KAFKA_CONTROLLER_PORT'],
  postgres: ['POSTGRES_PORT'],
};

function select(home: StackHome, names?: readonly ServiceName[]): ServiceDefinition[] {
  const all = servicesOf(home);
  if (!names || names.length === 0) return [...all];
  return names.map((name) => {
    const service = all.find((candidate) => candidate.name === name);
    if (!service) throw new StackError(`unknown service "${name}": expected one of ${SERVICE_NAMES.join(', ')}`);
    return service;
  });
}

/** The named services and what they depend on. */
function withDependencies(home: StackHome, services: ServiceDefinition[]): ServiceDefinition[] {
  const needed = new Set(services.map((service) => service.name));
  for (const service of services) for (const name of service.dependsOn?.(home) ?? []) needed.add(name);
  return servicesOf(home).filter((service) => needed.has(service.name));
}

/**
 * Runs `action` on every service at once, except that a service waits for `before(service)` to finish first
 * (dependencies when starting, dependants when stopping). A service whose wait failed is not acted on.
 */
function inOrder<T>(services: ServiceDefinition[], before: (service: ServiceDefinition) => ServiceName[], action: (service: ServiceDefinition) => Promise<T>): Array<Promise<T>> {
  const runs = new Map<ServiceName, Promise<T>>();
  const runOf = (service: ServiceDefinition): Promise<T> => {
    let running = runs.get(service.name);
    if (!running) {
      const waits = services.filter((other) => before(service).includes(other.name)).map((other) => ({ name: other.name, done: runOf(other) }));
      running = Promise.all(
        waits.map(({ name, done }) => done.catch(() => Promise.reject(new StackError(`${service.name}: not handled, since ${name} failed`)))),
      ).then(() => action(service));
      runs.set(service.name, running);
    }
    return running;
  };
  return services.map(runOf);
}

async function healthy(service: ServiceDefinition, home: StackHome): Promise<boolean> {
  return service.isHealthy(home).catch(() => false);
}

/**
 * Waits until a running server answers. False if it exits meanwhile: a server killed just now may still look
 * alive for a moment (an exiting process), and must then be started again rather than waited for.
 */
async function answersWhileRunning(service: ServiceDefinition, home: StackHome, record: PidRecord, logFile: string): Promise<boolean> {
  const exited = new StackError(`${service.name} (pid ${record.pid}) exited`);
  try {
    await waitUntil(() => healthy(service, home), {
      timeoutMs: service.readyTimeoutMs,
      giveUp: () => (isRunning(record) ? undefined : exited),
      onTimeout: () => new StackError(`${service.name} (pid ${record.pid}) runs but is not ready after ${service.readyTimeoutMs / 1000}s; see ${logFile}`),
    });
    return true;
  } catch (error) {
    if (error === exited) return false;
    throw error;
  }
}

async function upOne(service: ServiceDefinition, home: StackHome, progress: Progress): Promise<UpOutcome> {
  const say = (line: string) => progress(service.name, line);
  const logFile = path.relative(process.cwd(), home.logFile(service.name)) || home.logFile(service.name);
  const previous = readPidRecord(home.pidFile(service.name));

  if (isRunning(previous)) {
    const expected = service.executable?.(home);
    if (expected && previous.executable !== expected) {
      throw new StackError(`${service.name} (pid ${previous.pid}) runs ${previous.executable}, not ${expected}: stop it first (npm run stack -- down ${service.name})`);
    }
  }
  if (isRunning(previous) && (await answersWhileRunning(service, home, previous, logFile))) {
    await service.afterReady?.(home);
    return 'already running';
  }
  if (previous) {
    // Bounded: a zombie nobody reaps never goes, and a server that does not mind starts anyway.
    await waitUntil(async () => isGone(previous), { timeoutMs: 10_000, intervalMs: 100, onTimeout: () => new StackError('') }).catch(() => undefined);
  }

  for (const variable of PORT_VARIABLES[service.name]) {
    const port = home.ports[variable];
    // A server that just died may take a moment to release its ports.
    const freed = await waitUntil(() => isPortFree(port), { timeoutMs: previous ? 10_000 : 0, onTimeout: () => new StackError('') }).then(
      () => true,
      () => false,
    );
    if (!freed) {
      throw new StackError(`${service.name}: port ${port} on 127.0.0.1 is already in use by another process (set ${variable} to use another port)`);
    }
  }

  await service.install(home, say);
  const spec = await service.prepare(home);
  const started = Date.now();
  const record = startDetached(spec, home.logFile(service.name), home.pidFile(service.name));
  say(`starting (pid ${record.pid}), log: ${logFile}`);
  await waitUntil(() => healthy(service, home), {
    timeoutMs: service.readyTimeoutMs,
    giveUp: () => (isRunning(record) ? undefined : new StackError(`${service.name} exited while starting; see ${logFile}`)),
    onTimeout: () => new StackError(`${service.name} did not become ready within ${service.readyTimeoutMs / 1000}s; see ${logFile}`),
  });
  await service.afterReady?.(home);
  say(`ready in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  return previous ? 'restarted' : 'started';
}

/** Starts what is not running, leaves what runs alone, and waits until every service is ready. */
export async function up(
  home: StackHome,
  options: { services?: readonly ServiceName[]; progress?: Progress } = {},
): Promise<Record<ServiceName, UpOutcome>> {
  const progress = options.progress ?? silent;
  const services = withDependencies(home, select(home, options.services));
  return withLock(home, async () => {
    const dependencies = (service: ServiceDefinition) => service.dependsOn?.(home) ?? [];
    const outcomes = await Promise.allSettled(inOrder(services, dependencies, (service) => upOne(service, home, progress)));
    const failures = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as Error] : []));
    if (failures.length > 0) throw new StackError(failures.map((failure) => failure.message).join('\n'));
    return Object.fromEntries(services.map((service, index) => [service.name, (outcomes[index] as PromiseFulfilledResult<UpOutcome>).value])) as Record<ServiceName, UpOutcome>;
  });
}

export async function down(home: StackHome, options: { services?: readonly ServiceName[]; progress?: Progress } = {}): Promise<void> {
  const progress = options.progress ?? silent;
  const services = select(home, options.services);
  const dependants = (service: ServiceDefinition) => services.filter((other) => other.dependsOn?.(home).includes(service.name)).map((other) => other.name);
  await withLock(home, () =>
    Promise.all(
      inOrder(services, dependants, async (service) => {
        const record = readPidRecord(home.pidFile(service.name));
        if (isRunning(record)) {
          progress(service.name, `stopping (pid ${record.pid})`);
          await stopProcess(record, service.stopSignal, 30_000);
          progress(service.name, 'stopped');
        }
        removePidFile(home.pidFile(service.name));
      }),
    ),
  );
}

export async function status(home: StackHome): Promise<ServiceStatus[]> {
  return Promise.all(
    servicesOf(home).map(async (service) => {
      const record = readPidRecord(home.pidFile(service.name));
      const running = isRunning(record);
      const expected = service.executable?.(home);
      return {
        name: service.name,
        pid: running ? record.pid : undefined,
        address: service.address(home),
        // Another flavour of the service (STACK_TEMPORAL changed while it ran) is not the one asked for.
        healthy: running && (!expected || record.executable === expected) && (await healthy(service, home)),
        logFile: home.logFile(service.name),
      };
    }),
  );
}

/** Stops everything and deletes data and logs; installed tools stay. */
export async function reset(home: StackHome, options: { progress?: Progress } = {}): Promise<void> {
  await down(home, options);
  rmSync(path.join(home.home, 'data'), { recursive: true, force: true });
  for (const name of SERVICE_NAMES) rmSync(home.logFile(name), { force: true });
}

/** Serialises `up` and `down` on one stack home, across processes (parallel test projects share one). */
async function withLock<T>(home: StackHome, action: () => Promise<T>): Promise<T> {
  const lockFile = path.join(home.runDir, 'stack.lock');
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      closeSync(openSync(lockFile, 'wx'));
      writeFileSync(lockFile, String(process.pid));
      break;
    } catch {
      const holder = Number(readFileSync(lockFile, 'utf8') || 0);
      if (holder > 0 && !isAlive(holder)) rmSync(lockFile, { force: true });
      else if (Date.now() > deadline) throw new StackError(`another stack command (pid ${holder}) holds ${lockFile}`);
      else await sleep(200);
    }
  }
  try {
    return await action();
  } finally {
    rmSync(lockFile, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
